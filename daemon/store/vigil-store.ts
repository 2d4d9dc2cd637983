export type StoreEngine = "sqlite" | "postgres";

export interface TransactionOptions {
  /**
   * Work that may share its commit with others arriving in the same turn of the event loop
   * (webhook deliveries on many connections). On SQLite they run one after another in one
   * transaction, each in a savepoint of its own (one that throws is rolled back alone), with one
   * fsync for the lot; each caller is answered once that commit is durable. With `othersComing`
   * false (nothing else is on its way) the group does not wait a loop turn. PostgreSQL gives
   * each its own transaction on the pool, side by side.
   */
  share?: { othersComing: boolean };
}

/**
 * The store port (issue 22; docs/DESIGN.md, "The store port"): one interface over both engines.
 * `transaction` runs `work` with `tx`, the store's domains as that transaction sees them, and
 * commits when `work` resolves or rolls back when it rejects; it resolves once the commit is
 * durable. Transactions of one store run one after another on SQLite and side by side on
 * PostgreSQL's pool. The ground knows no domain: the shape of `Tx` is composed above it
 * (daemon/context/store-tx.ts).
 */
export interface VigilStore<Tx> {
  readonly engine: StoreEngine;
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}
