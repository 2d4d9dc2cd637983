/** How a column's values travel between the engines: integers as bigint, text as string, either as null. */
export type ColumnKind = "integer" | "text";

export interface TableShape {
  name: string;
  columns: ReadonlyArray<{ name: string; kind: ColumnKind }>;
}

/** The side a copy reads: one consistent snapshot of a whole store. */
export interface CopySource {
  readonly label: string;
  /** Every table of the store with its columns (the engine's own bookkeeping left out). */
  tables(): Promise<TableShape[]>;
  count(table: string): Promise<number>;
  /** The table's rows in pages, each row its values in `columns`' order (integers as bigint). */
  pages(table: TableShape, key: readonly string[], pageRows: number): AsyncIterable<unknown[][]>;
  close(): Promise<void>;
}

/** The side a copy writes: nothing of it is visible until `finish` says the journal verifies. */
export interface CopyTarget {
  readonly label: string;
  /** What had to change on the way in (a NUL PostgreSQL text cannot hold), one sentence each. */
  readonly notes: readonly string[];
  tables(): Promise<TableShape[]>;
  /** Tables that hold rows already (a seed row of a fresh schema does not count). */
  occupied(): Promise<Array<{ table: string; rows: number }>>;
  /** Rows with values in `table.columns`' order, as `CopySource.pages` gives them. */
  insert(table: TableShape, rows: readonly unknown[][]): Promise<void>;
  /**
   * Identity counters past the copied ids, the recall index rebuilt, the chain verified; then
   * committed (or renamed into place) when it verifies and ends where the source's did
   * (`journalMatches`), and undone when not.
   */
  finish(expected: JournalHead): Promise<CopyVerdict>;
  /** Undoes everything written; safe to call after finish or twice. */
  abort(): Promise<void>;
}

/** The target's chain as logs/verify-chain.ts's ChainVerdict says it. */
export type CopyVerdict = { ok: true; rows: number; headSeq: number; headHash: string } | { ok: false; rows: number; seq: number; reason: string };

/** Where the source's journal ended: how many rows, and the last one's seq and hash (undefined when empty). */
export interface JournalHead {
  rows: number;
  last?: { seq: number; hash: string };
}

/** The target's chain verifies and is the source's: as many rows, ending on the same seq and hash. */
export function journalMatches(verdict: CopyVerdict, expected: JournalHead): boolean {
  if (!verdict.ok || verdict.rows !== expected.rows) return false;
  return expected.last === undefined || (verdict.headSeq === expected.last.seq && verdict.headHash === expected.last.hash);
}
