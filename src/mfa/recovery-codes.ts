/**
 * @module mfa/recovery-codes
 *
 * Recovery codes as Auth0 makes them: 24 characters of [A-Z0-9] (about 124 bits), shown once,
 * stored as SHA-256 (a slow hash buys nothing for a random value this long). Using one
 * replaces it with a new one in a single compare-and-set, so a code works once only.
 */
import { randomInt } from 'node:crypto';
import { constantTimeEqual, sha256 } from '../shared/crypto.js';
import type { MfaAuthenticator } from '../storage/models.js';
import type { Storage } from '../storage/storage.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LENGTH = 24;

export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** The code as users may type it: case and spaces or dashes do not matter. */
export function hashRecoveryCode(code: string): string {
  return sha256(code.replace(/[\s-]/g, '').toUpperCase());
}

/** True when `code` is the current code of the recovery-code `authenticator`. */
export function recoveryCodeMatches(authenticator: MfaAuthenticator, code: string): boolean {
  const stored = authenticator.recovery_code_hash;
  return stored !== null && constantTimeEqual(hashRecoveryCode(code), stored);
}

/**
 * Consumes the code `authenticator` was read with, replacing it with a new one which is
 * returned; null when another request consumed it first.
 */
export async function rotateRecoveryCode(
  storage: Storage,
  authenticator: MfaAuthenticator,
): Promise<string | null> {
  const next = newRecoveryCode();
  const stored = authenticator.recovery_code_hash;
  if (stored === null) return null;
  const replaced = await storage.authenticators.replaceRecoveryCode(
    authenticator.id,
    stored,
    hashRecoveryCode(next),
  );
  return replaced ? next : null;
}
