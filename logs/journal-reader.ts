import type { StoreEngine } from "../daemon/store/vigil-store.js";
import type { JournalEntry } from "./journal-entry.js";
import type { EntryQuery } from "./query-entries.js";
import type { ChainVerdict } from "./verify-chain.js";

/**
 * The journal as its readers see it, on either engine: `vigil log` (and `--follow`), `vigil log
 * verify` and its anchors. The first part of the store port (issue 22): one interface, an adapter
 * per engine (SQLite: logs/sqlite-journal-reader.ts; PostgreSQL:
 * daemon/store/postgres/create-postgres-journal-reader.ts), chosen by `store.engine` in
 * daemon/context/open-journal-reader.ts. Asynchronous because PostgreSQL is.
 */
export interface JournalReader {
  readonly engine: StoreEngine;
  /** Where the journal is, for people and anchors: the `vigil.db` path, or `postgres://HOST:PORT/DATABASE` (no credentials). */
  readonly location: string;
  /** Rows in seq order, filtered as logs/query-entries.ts filters them. */
  query(query?: EntryQuery): Promise<JournalEntry[]>;
  /** The newest row's seq and hash; undefined for an empty journal. */
  head(): Promise<{ seq: number; hash: string } | undefined>;
  /** The stored hash of row `seq`; undefined when there is no such row. */
  hashAt(seq: number): Promise<string | undefined>;
  /** The whole chain checked, row by row (logs/verify-chain.ts's verdict). */
  verify(): Promise<ChainVerdict>;
  close(): Promise<void>;
}
