import { createNestingGuard, StoreRuleError } from "../guard-nesting.js";
import type { VigilDatabase } from "../open-database.js";
import type { TransactionOptions, VigilStore } from "../vigil-store.js";
import type { WalSync } from "../wal-sync.js";

export { StoreRuleError } from "../guard-nesting.js";

/**
 * The store port on SQLite's one connection. `tx` is today's synchronous domains behind promises
 * that are already settled, so `work` runs in microtasks between `BEGIN IMMEDIATE` and `COMMIT`:
 * nothing else on the event loop (a timer, a request, another process's turn of the lock) gets
 * in. That holds only while `work` awaits nothing but `tx`; a sentinel on `setImmediate` finds a
 * transaction still open when the event loop turned, and it is rolled back with StoreRuleError
 * (a bug to fix, never a state to live with: another writer could have joined it). Transactions
 * of the store queue behind each other; one begun inside another's `work` is a bug too.
 *
 * Work asked to share its commit (`share`, webhook deliveries) is gathered until the event loop
 * has taken in the I/O already in hand and run as one group: savepoint by savepoint in one
 * transaction, with one fsync. The fsync runs off the event loop (`walSync`), so while one
 * group's WAL goes to disk the next is already being committed; nobody is answered before the
 * sync that makes their commit durable.
 */
export interface SqliteStoreOptions {
  /** Called as each transaction begins; what it returns is told whether it committed (the journal holds its Markdown until then). */
  hold?: () => (committed: boolean) => void;
  /** How a commit is made durable without blocking the loop (daemon/store/wal-sync.ts); without one, COMMIT syncs inline. */
  walSync?: WalSync | undefined;
  /** Told of every commit (the WAL checkpointer counts them: daemon/store/wal-checkpointer.ts). */
  onCommit?: () => void;
}

interface Pending {
  work: (tx: never) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function createSqliteStore<Tx>(db: VigilDatabase, tx: Tx, { hold = () => () => undefined, walSync, onCommit }: SqliteStoreOptions = {}): VigilStore<Tx> {
  const statements = {
    begin: db.prepare("BEGIN IMMEDIATE"),
    commit: db.prepare("COMMIT"),
    rollback: db.prepare("ROLLBACK"),
    savepoint: db.prepare("SAVEPOINT vigil_work"),
    releaseSavepoint: db.prepare("RELEASE vigil_work"),
    rollbackToSavepoint: db.prepare("ROLLBACK TO vigil_work"),
    // Rows this connection changed since it opened: a transaction that changed none has nothing to sync.
    changes: db.prepare("SELECT total_changes()").pluck(),
  };
  let tail: Promise<unknown> = Promise.resolve();
  let gathering: Pending[] = [];
  const nesting = createNestingGuard();

  /** Runs `batch` in one transaction; each piece in a savepoint when `savepoints`, else its error rolls back the whole. */
  const _transact = async (batch: readonly Pending[], savepoints: boolean): Promise<{ outcomes: Outcome[]; durable: Promise<void>; wrote: boolean }> => {
    const settleSync = walSync?.deferCommit();
    const changesBefore = statements.changes.get();
    try {
      statements.begin.run();
    } catch (error) {
      // The write lock not had within busy_timeout (another process's long transaction): nothing began.
      void settleSync?.(false);
      throw error;
    }
    const release = hold();
    const run = { live: true };
    let turned = false;
    // The moment the event loop turns with this transaction open, it is rolled back and its tx
    // stops answering: nothing `work` does after that can be written outside a transaction, and
    // no other writer that got in meanwhile is committed with it.
    const sentinel = setImmediate(() => {
      if (!run.live) return;
      turned = true;
      run.live = false;
      if (db.inTransaction) statements.rollback.run();
    });
    // In the microtask of COMMIT or ROLLBACK: the sync level back, the tx closed, the Markdown written or dropped.
    const end = (committed: boolean, wrote = committed): Promise<void> => {
      const durable = settleSync?.(committed, wrote) ?? Promise.resolve();
      run.live = false;
      clearImmediate(sentinel);
      release(committed);
      return durable;
    };
    const outcomes: Outcome[] = [];
    try {
      const guarded = _guarded(tx as Tx & object, run, new Map());
      // One nesting mark for the batch: a transaction asked for inside any of its work is refused.
      await nesting.run(async () => {
        for (const item of batch) outcomes.push(await _runOne(item, guarded, savepoints));
      });
      if (turned) throw new StoreRuleError("a store transaction on SQLite awaited something besides the store (the event loop turned while it was open): it was rolled back; await only tx's methods inside transaction()");
      const first = outcomes[0];
      if (!savepoints && first && !first.ok) throw first.error;
      statements.commit.run();
    } catch (error) {
      if (db.inTransaction) statements.rollback.run();
      void end(false);
      throw error;
    }
    const wrote = statements.changes.get() !== changesBefore;
    return { outcomes, durable: end(true, wrote), wrote };
  };

  const _runOne = async (item: Pending, guarded: Tx, savepoint: boolean): Promise<Outcome> => {
    if (savepoint) statements.savepoint.run();
    try {
      const value = await item.work(guarded as never);
      if (savepoint && db.inTransaction) statements.releaseSavepoint.run();
      return { ok: true, value };
    } catch (error) {
      if (savepoint && db.inTransaction) {
        statements.rollbackToSavepoint.run();
        statements.releaseSavepoint.run();
      }
      return { ok: false, error };
    }
  };

  /** One batch, its turn of the mutex ending at COMMIT; its callers are answered once it is durable. */
  const _runBatch = async (batch: readonly Pending[], savepoints: boolean): Promise<void> => {
    let outcomes: Outcome[];
    let durable: Promise<void>;
    let wrote: boolean;
    try {
      ({ outcomes, durable, wrote } = await _transact(batch, savepoints));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    if (wrote) onCommit?.();
    const settle = () =>
      batch.forEach((item, index) => {
        const outcome = outcomes[index]!;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.error);
      });
    // A failed sync leaves the commit's durability unknown: nobody of the batch is told "done".
    void durable.then(settle, (error: unknown) => batch.forEach((item) => item.reject(error)));
  };

  const _schedule = (batch: readonly Pending[], savepoints: boolean) => {
    tail = tail.then(() => _runBatch(batch, savepoints));
  };
  const _flushGathered = () => {
    const batch = gathering;
    gathering = [];
    if (batch.length > 0) _schedule(batch, true);
  };

  return {
    engine: "sqlite",
    transaction<T>(work: (tx: Tx) => Promise<T>, { share }: TransactionOptions = {}): Promise<T> {
      try {
        nesting.check();
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<T>((resolve, reject) => {
        const item: Pending = { work: work as Pending["work"], resolve: resolve as Pending["resolve"], reject };
        if (!share) return _schedule([item], false);
        const first = gathering.length === 0;
        gathering.push(item);
        if (first && !share.othersComing) _flushGathered();
        else if (first) setImmediate(_flushGathered);
      });
    },
    close: async () => {
      _flushGathered();
      await tail;
      db.close();
    },
  };
}

/**
 * `tx` as one transaction sees it: every method refuses once that transaction ended or was rolled
 * back by the sentinel. A domain's guard is made once per transaction (`made`), not per access.
 */
function _guarded<T extends object>(target: T, run: { live: boolean }, made: Map<object, unknown>): T {
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key);
      if (typeof value === "function") {
        return (...args: unknown[]) =>
          run.live ? (value as (...a: unknown[]) => unknown).apply(object, args) : Promise.reject(new StoreRuleError("this tx belongs to a store transaction that has ended or was rolled back: use the tx of the transaction you are in"));
      }
      if (value === null || typeof value !== "object") return value;
      let domain = made.get(value);
      if (!domain) made.set(value, (domain = _guarded(value, run, made)));
      return domain;
    },
  });
}
