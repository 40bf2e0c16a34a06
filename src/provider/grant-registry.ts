/**
 * @module provider/grant-registry
 *
 * `grant_type` → handler. Registering two handlers for one grant type is an error.
 */
import type { GrantHandler } from '../grants/grant-handler.js';

export class GrantRegistry {
  readonly #handlers = new Map<string, GrantHandler<unknown>>();

  register(handler: GrantHandler<unknown>): this {
    if (this.#handlers.has(handler.grantType)) {
      throw new Error(`grant type ${handler.grantType} is already registered`);
    }
    this.#handlers.set(handler.grantType, handler);
    return this;
  }

  get(grantType: string): GrantHandler<unknown> | undefined {
    return this.#handlers.get(grantType);
  }

  /** Registered grant types, in registration order. */
  get grantTypes(): string[] {
    return [...this.#handlers.keys()];
  }
}
