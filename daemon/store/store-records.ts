/**
 * Shapes of rows the store's domains read and write, named here so that both engines' adapters
 * and the port (daemon/context/store-tx.ts) share them without importing the features that own
 * the tables (the brain's TokenUsage and TurnOutcome are the same shapes).
 */

/** How a turn ended, as the `turns` table keeps it. */
export type TurnOutcome = "quiet" | "acted" | "failed" | "interrupted";

/** Token counts of one or more model calls, as the `usage` table adds them up. */
export interface TokenCounts {
  calls: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}
