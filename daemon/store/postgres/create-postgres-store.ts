import type { Pool, PoolClient } from "pg";
import { createNestingGuard } from "../guard-nesting.js";
import type { VigilStore } from "../vigil-store.js";

/**
 * The store port on a PostgreSQL pool: each transaction takes a client of its own, so unrelated
 * transactions (of this node and of others) run side by side and the database serializes what
 * must be (the journal's head lock, a row's lock, a unique key). `makeTx` builds the domains on
 * that client. A transaction is READ COMMITTED, PostgreSQL's default; whatever needs more takes
 * its lock in the statement that needs it, as vigil.journal_append does. `afterCommit` lets a
 * domain change what it keeps in memory (a turn's leases) only once the transaction committed:
 * a rolled-back one leaves it as it was, so a retry still sees it.
 */
export function createPostgresStore<Tx>(pool: Pool, makeTx: (client: PoolClient, afterCommit: (change: () => void) => void) => Tx): VigilStore<Tx> {
  const nesting = createNestingGuard();
  return {
    engine: "postgres",
    async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      nesting.check();
      const client = await pool.connect();
      let broken: unknown;
      const committed: Array<() => void> = [];
      try {
        await client.query("BEGIN");
        const value = await nesting.run(() => work(makeTx(client, (change) => committed.push(change))));
        await client.query("COMMIT");
        for (const change of committed) change();
        return value;
      } catch (error) {
        // A connection that cannot even roll back is not handed to the next transaction.
        await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError));
        throw error;
      } finally {
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}
