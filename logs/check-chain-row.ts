import { hashEntry, type HashedFields } from "./hash-entry.js";

/** A stored journal row, `data` as its canonical JSON text. */
export interface ChainRow extends HashedFields {
  hash: string;
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * The check `vigil log verify` makes of each row, on either engine (logs/verify-range.ts,
 * daemon/store/postgres/verify-postgres-chain.ts), as a pure function of the row and what the
 * walk expects next: a gap in seq (deleted), a prevHash that is not the previous row's hash
 * (inserted, moved or replaced), a hash that is not its contents' (edited).
 */
export function checkChainRow(row: ChainRow, expectedSeq: number, previousHash: string): ChainBreak | undefined {
  if (row.seq > expectedSeq) return { seq: expectedSeq, reason: `${describeMissingRows(expectedSeq, row.seq)} missing (deleted)` };
  if (row.prevHash !== previousHash) return { seq: row.seq, reason: "prevHash does not match the row before it (row inserted, moved or replaced)" };
  if (row.hash !== hashEntry(row)) return { seq: row.seq, reason: "hash does not match the row's contents (row edited)" };
  return undefined;
}

/** Rows `from` up to (not including) `until`, as verify names them. */
export function describeMissingRows(from: number, until: number): string {
  return until - from === 1 ? `row ${from} is` : `rows ${from}–${until - 1} are`;
}
