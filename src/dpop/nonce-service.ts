/**
 * @module dpop/nonce-service
 *
 * Stateless DPoP nonces (RFC 9449 §8, DP-18): a nonce is `HMAC-SHA256(secret, step)` where the
 * step is the clock divided by the proof window. Nothing is stored: any instance sharing the
 * secret (kept in storage, like the refresh-token key) recognises it, also after a restart.
 * The current step and its neighbours are accepted, so a nonce lives for two to three windows
 * and instances whose clocks differ by less than a window agree. Compared in constant time.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../shared/crypto.js';

export class NonceService {
  constructor(
    private readonly secret: Buffer,
    private readonly stepS: number,
  ) {}

  private at(step: number): string {
    return createHmac('sha256', this.secret).update(`dpop-nonce:${step}`).digest('base64url');
  }

  private step(nowS: number): number {
    return Math.floor(nowS / this.stepS);
  }

  /** The nonce to hand out at `nowS` (epoch seconds). */
  current(nowS: number): string {
    return this.at(this.step(nowS));
  }

  /** True when `nonce` was handed out by a server with this secret around `nowS`. */
  isFresh(nonce: string, nowS: number): boolean {
    const step = this.step(nowS);
    let fresh = false;
    for (const candidate of [step - 1, step, step + 1]) {
      // no early exit: every candidate is compared
      fresh = constantTimeEqual(nonce, this.at(candidate)) || fresh;
    }
    return fresh;
  }
}
