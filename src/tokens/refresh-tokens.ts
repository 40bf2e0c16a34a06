/**
 * @module tokens/refresh-tokens
 *
 * Refresh-token values and records. A value is 256 random bits (base64url), stored only as its
 * SHA-256. The successor of a rotated token is not random but `HMAC(key, value)` under a server
 * secret: the same token always rotates to the same successor, so a retry inside the client's
 * leeway can return that successor without anyone storing it, and a token can never have two
 * successors (RFC 9700 §4.14.2). Without the secret and the raw value, the successor cannot be
 * computed, so a copy of the database does not help. See docs/adr/0006-refresh-token-rotation.md.
 */
import { createHmac } from 'node:crypto';
import { randomToken, sha256 } from '../shared/crypto.js';
import type { RefreshToken, RefreshTokenPolicy } from '../storage/models.js';

/** A fresh refresh-token value. */
export function newRefreshTokenValue(): string {
  return randomToken(32);
}

/** The successor value of `value` under `key`. */
export function successorValue(value: string, key: Buffer): string {
  return createHmac('sha256', key).update(`refresh-token-successor:${value}`).digest('base64url');
}

function idleExpiry(policy: RefreshTokenPolicy, now: number): number | null {
  const expiring = policy.expiration_type === 'expiring' && !policy.infinite_idle_token_lifetime;
  return expiring ? now + policy.idle_token_lifetime : null;
}

function absoluteExpiry(policy: RefreshTokenPolicy, now: number): number | null {
  const expiring = policy.expiration_type === 'expiring' && !policy.infinite_token_lifetime;
  return expiring ? now + policy.token_lifetime : null;
}

export interface FamilyStart {
  value: string;
  familyId: string;
  clientId: string;
  userId: string;
  audience: string | null;
  scope: string;
  policy: RefreshTokenPolicy;
  now: number;
  /** Thumbprint of the DPoP key the family is bound to, or null. */
  dpopJkt: string | null;
}

/** The record of the first token of a new family. */
export function firstRecord(start: FamilyStart): RefreshToken {
  return {
    token_hash: sha256(start.value),
    family_id: start.familyId,
    client_id: start.clientId,
    user_id: start.userId,
    audience: start.audience,
    scope: start.scope,
    created_at: start.now,
    expires_at: absoluteExpiry(start.policy, start.now),
    idle_expires_at: idleExpiry(start.policy, start.now),
    status: 'active',
    rotated_at: null,
    successor_hash: null,
    leeway_used: false,
    dpop_jkt: start.dpopJkt,
  };
}

/** The record of the token that replaces `parent`: same family and absolute expiry. */
export function successorRecord(
  parent: RefreshToken,
  value: string,
  policy: RefreshTokenPolicy,
  now: number,
): RefreshToken {
  return {
    ...parent,
    token_hash: sha256(value),
    created_at: now,
    idle_expires_at: idleExpiry(policy, now),
    status: 'active',
    rotated_at: null,
    successor_hash: null,
    leeway_used: false,
  };
}

/** The idle expiry a non-rotating token gets when it is used at `now`. */
export function renewedIdleExpiry(policy: RefreshTokenPolicy, now: number): number | null {
  return idleExpiry(policy, now);
}

/** True when the token is past its absolute or idle expiry at `now`. */
export function isExpired(token: RefreshToken, now: number): boolean {
  return (
    (token.expires_at !== null && now >= token.expires_at) ||
    (token.idle_expires_at !== null && now >= token.idle_expires_at)
  );
}
