import type { VigilDatabase } from "./open-database.js";
import { runInTransaction } from "./run-in-transaction.js";
import { createWalSync, type WalSync } from "./wal-sync.js";

export interface GroupCommit {
  /**
   * Runs `work` in the next shared transaction and resolves once that transaction is committed
   * and durable (on disk, as synchronous=FULL makes it), or rejects with `work`'s own error. Each
   * piece of work runs in its own savepoint, so one that throws is rolled back alone. With
   * `othersComing` false (nothing else is on its way) and nothing queued, it commits at once
   * instead of waiting a turn of the event loop behind whatever else runs there.
   */
  submit<T>(work: () => T, options?: { othersComing?: boolean }): Promise<T>;
}

export interface GroupCommitOptions {
  /** Wraps each group's work inside its transaction (the journal writes a group's Markdown once: `batchRendering`). */
  around?: <T>(work: () => T) => T;
  /**
   * How a group's commit is made durable; by default the WAL is synced off the event loop after
   * COMMIT (daemon/store/wal-sync.ts), and without a WAL COMMIT syncs inline as before.
   */
  walSync?: WalSync | undefined;
  /** Told of every group committed (the WAL checkpointer counts them: daemon/store/wal-checkpointer.ts). */
  onCommit?: () => void;
}

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: what arrives together (webhook deliveries on 32 connections, say) shares one
 * IMMEDIATE transaction and one fsync, instead of paying a commit each. Work waits at most until
 * the event loop has taken in the I/O already in hand (`setImmediate`); nobody is answered before
 * the sync that makes the commit holding their work durable. That sync runs off the event loop,
 * so while one group's WAL goes to disk the next group is already being read and committed.
 */
export function createGroupCommit(db: VigilDatabase, { around = (work) => work(), walSync = createWalSync(db), onCommit }: GroupCommitOptions = {}): GroupCommit {
  let queue: Pending[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const runEach = () => {
      for (const item of batch) {
        try {
          outcomes.push({ ok: true, value: runInTransaction(db, item.work) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    };
    const settle = () =>
      batch.forEach((item, index) => {
        const outcome = outcomes[index]!;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.error);
      });
    const rejectAll = (error: unknown) => batch.forEach((item) => item.reject(error));
    const transaction = () => runInTransaction(db, () => around(runEach));
    let durable: Promise<void> | undefined;
    try {
      // Inside another transaction (a caller's own) the group is a savepoint of it: nothing to sync yet.
      if (walSync && !db.inTransaction) durable = walSync.commit(transaction).durable;
      else transaction();
    } catch (error) {
      // The commit itself failed (a full disk, a lock held too long): none of it is durable.
      rejectAll(error);
      return;
    }
    onCommit?.();
    // A failed sync leaves the commit's durability unknown: nobody of the group is told "done".
    if (durable) durable.then(settle, rejectAll);
    else settle();
  };
  return {
    submit: <T>(work: () => T, { othersComing = true } = {}) =>
      new Promise<T>((resolve, reject) => {
        const first = queue.length === 0;
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (first && !othersComing) flush();
        else if (first) setImmediate(flush);
      }),
  };
}
