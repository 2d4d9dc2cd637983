export type StoreEngine = "sqlite" | "postgres";

/**
 * The store port (issue 22; docs/DESIGN.md, "The store port"): one interface over both engines.
 * `transaction` runs `work` with `tx`, the store's domains as that transaction sees them, and
 * commits when `work` resolves or rolls back when it rejects; transactions of one store run one
 * after another on SQLite and side by side on PostgreSQL's pool. The ground knows no domain: the
 * shape of `Tx` is composed above it (daemon/context/store-tx.ts).
 */
export interface VigilStore<Tx> {
  readonly engine: StoreEngine;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
