import type { Transaction } from "better-sqlite3";
import type { VigilDatabase } from "./open-database.js";

const _runners = new WeakMap<VigilDatabase, Transaction<(work: () => unknown) => unknown>>();

/**
 * `db.transaction(work).immediate()` without building a new transaction function per call (a
 * cost every webhook delivery paid three times): one runner per database, handed the work. As
 * with better-sqlite3's own nesting, inside an open transaction the work runs in a savepoint, so
 * a throw rolls back only its own writes.
 */
export function runInTransaction<T>(db: VigilDatabase, work: () => T): T {
  let runner = _runners.get(db);
  if (!runner) {
    runner = db.transaction((inner: () => unknown) => inner());
    _runners.set(db, runner);
  }
  return runner.immediate(work) as T;
}
