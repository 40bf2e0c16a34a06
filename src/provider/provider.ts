/**
 * @module provider/provider
 *
 * What protocol code needs from the running server: issuer and URLs, storage, keys, the
 * password hasher and its decoy hashes, the client-secret verifier, a clock and a logger. Built once by the
 * composition root (`src/server.ts`); nothing here knows about HTTP.
 */
import type { DecoyHashes } from '../accounts/decoy-hashes.js';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import type { ClientAuthThrottle } from '../client-auth/failure-throttle.js';
import type { ClientSecretVerifier } from '../client-auth/verifiers/client-secret.js';
import type { DpopSettings } from '../dpop/dpop-settings.js';
import type { KeyManager } from '../keys/key-manager.js';
import type { Mailer } from '../mailer/mailer.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../shared/clock.js';
import type { Storage } from '../storage/storage.js';

export interface ProviderUrls {
  /** Issuer with its trailing slash, e.g. `https://auth.example.com/`. */
  readonly issuer: string;
  readonly token: string;
  readonly revocation: string;
  readonly userinfo: string;
  readonly jwks: string;
}

/** Server-side secrets, loaded once at start from storage. */
export interface ProviderSecrets {
  /** Key of the refresh-token successor derivation. */
  readonly refreshTokenKey: Buffer;
  /** AES-256 key that encrypts OTP secrets at rest (`src/mfa/encryption-key.ts`). */
  readonly encryptionKey: Buffer;
  /** Key of the stateless DPoP nonces. */
  readonly dpopNonceKey: Buffer;
}

export interface Provider {
  readonly urls: ProviderUrls;
  readonly secrets: ProviderSecrets;
  readonly storage: Storage;
  readonly keys: KeyManager;
  readonly hasher: PasswordHasher;
  /** What a login with no password hash to check verifies instead (AU-9). */
  readonly decoys: DecoyHashes;
  readonly clientSecrets: ClientSecretVerifier;
  /** Failed client authentications per client and caller address (AU-16). */
  readonly clientAuthFailures: ClientAuthThrottle;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Sends mail: MFA codes and unblock links (SMTP, or the development outbox). */
  readonly mailer: Mailer;
  readonly dpop: DpopSettings;
}

/** Endpoint URLs under an issuer (which must end with `/`). */
export function providerUrls(issuer: string): ProviderUrls {
  return {
    issuer,
    token: new URL('oauth/token', issuer).href,
    revocation: new URL('oauth/revoke', issuer).href,
    userinfo: new URL('userinfo', issuer).href,
    jwks: new URL('.well-known/jwks.json', issuer).href,
  };
}
