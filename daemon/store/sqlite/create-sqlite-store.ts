import { createNestingGuard, StoreRuleError } from "../guard-nesting.js";
import type { VigilDatabase } from "../open-database.js";
import type { VigilStore } from "../vigil-store.js";

export { StoreRuleError } from "../guard-nesting.js";

/**
 * The store port on SQLite's one connection. `tx` is today's synchronous domains behind promises
 * that are already settled, so `work` runs in microtasks between `BEGIN IMMEDIATE` and `COMMIT`:
 * nothing else on the event loop (a timer, a request, another process's turn of the lock) gets
 * in. That holds only while `work` awaits nothing but `tx`; a sentinel on `setImmediate` finds a
 * transaction still open when the event loop turned, and it is rolled back with StoreRuleError
 * (a bug to fix, never a state to live with: another writer could have joined it). Transactions
 * of the store queue behind each other; one begun inside another's `work` is a bug too.
 */
export interface SqliteStoreOptions {
  /** Called as each transaction begins; what it returns is told whether it committed (the journal holds its Markdown until then). */
  hold?: () => (committed: boolean) => void;
}

export function createSqliteStore<Tx>(db: VigilDatabase, tx: Tx, { hold = () => () => undefined }: SqliteStoreOptions = {}): VigilStore<Tx> {
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  let tail: Promise<unknown> = Promise.resolve();
  const nesting = createNestingGuard();

  const _run = async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
    begin.run();
    const release = hold();
    const run = { live: true };
    let committed = false;
    let turned = false;
    // The moment the event loop turns with this transaction open, it is rolled back and its tx
    // stops answering: nothing `work` does after that can be written outside a transaction, and
    // no other writer that got in meanwhile is committed with it.
    const sentinel = setImmediate(() => {
      if (!run.live) return;
      turned = true;
      run.live = false;
      if (db.inTransaction) rollback.run();
    });
    try {
      const value = await nesting.run(() => work(_guarded(tx as Tx & object, run)));
      if (turned) throw new StoreRuleError("a store transaction on SQLite awaited something besides the store (the event loop turned while it was open): it was rolled back; await only tx's methods inside transaction()");
      commit.run();
      committed = true;
      return value;
    } catch (error) {
      if (db.inTransaction) rollback.run();
      throw error;
    } finally {
      run.live = false;
      clearImmediate(sentinel);
      release(committed);
    }
  };

  return {
    engine: "sqlite",
    transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      try {
        nesting.check();
      } catch (error) {
        return Promise.reject(error);
      }
      const run = tail.then(() => _run(work));
      tail = run.catch(() => undefined);
      return run;
    },
    close: async () => {
      await tail;
      db.close();
    },
  };
}

/** `tx` as one transaction sees it: every method refuses once that transaction ended or was rolled back by the sentinel. */
function _guarded<T extends object>(target: T, run: { live: boolean }): T {
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key);
      if (typeof value === "function") {
        return (...args: unknown[]) =>
          run.live ? (value as (...a: unknown[]) => unknown).apply(object, args) : Promise.reject(new StoreRuleError("this tx belongs to a store transaction that has ended or was rolled back: use the tx of the transaction you are in"));
      }
      return value !== null && typeof value === "object" ? _guarded(value, run) : value;
    },
  });
}
