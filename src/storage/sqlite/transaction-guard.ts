/**
 * @module storage/sqlite/transaction-guard
 *
 * SQLite storage has one connection, and an open transaction holds it. A query through the
 * outer storage from inside `transaction(fn)` would wait for that connection forever, and
 * every later request with it. This kysely plugin, installed on the outer stores only, turns
 * that mistake into an immediate error.
 *
 * The guard's AsyncLocalStorage is disabled whenever no transaction is open: on Node 20 an
 * enabled one runs a hook for every promise the process creates (about 4 % of the event loop's
 * CPU in a password login, which opens no transaction). Outside a transaction there is nothing
 * to detect, and `run` enables it again before the transaction's callback starts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

interface Scope {
  open: boolean;
}

/** Knows whether the current async context is inside one of this storage's transactions. */
export class TransactionGuard implements KyselyPlugin {
  readonly #scope = new AsyncLocalStorage<Scope>();
  /** Transactions whose callback has started and not yet settled. */
  #running = 0;

  /** Runs `fn` marked as inside a transaction; callbacks that outlive it are not marked. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const scope: Scope = { open: true };
    this.#running += 1;
    try {
      return await this.#scope.run(scope, fn);
    } finally {
      scope.open = false;
      this.#running -= 1;
      if (this.#running === 0) this.#scope.disable();
    }
  }

  /** Throws when called from inside a transaction's callback. */
  assertOutside(): void {
    if (this.#scope.getStore()?.open) {
      throw new Error(
        'SQLite storage: inside transaction(fn), use the tx passed to fn, not the outer storage',
      );
    }
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.assertOutside();
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
