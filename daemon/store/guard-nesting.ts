import { AsyncLocalStorage } from "node:async_hooks";

export class StoreRuleError extends Error {}

/**
 * Refuses a store transaction asked for inside another one's work: on SQLite it would wait for
 * itself behind the mutex, on PostgreSQL it would take a second connection and wait for its own
 * outer transaction's locks (the journal's head lock): both hang. The mark is the running
 * transaction's own, and counts only while that transaction is open, so a timer or callback
 * created inside `work` that starts a transaction after it ended is not refused.
 */
export function createNestingGuard(): { run<T>(work: () => Promise<T>): Promise<T>; check(): void } {
  const inside = new AsyncLocalStorage<{ open: boolean }>();
  return {
    async run(work) {
      const mark = { open: true };
      try {
        return await inside.run(mark, work);
      } finally {
        mark.open = false;
      }
    },
    check() {
      if (inside.getStore()?.open) throw new StoreRuleError("store.transaction() was called inside another transaction's work: use that transaction's tx");
    },
  };
}
