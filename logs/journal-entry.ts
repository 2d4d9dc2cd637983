import type { JournalKind } from "./journal-kinds.js";

/** A row to append: the journal numbers, stamps, redacts, chains and hashes it. */
export interface JournalInput {
  kind: JournalKind;
  summary: string;
  data?: Record<string, unknown>;
}

/** One journal row as readers see it (`vigil log --json` prints exactly these keys). */
export interface JournalEntry {
  seq: number;
  ts: string;
  day: string;
  kind: JournalKind;
  summary: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** A row as stored: `data` is canonical JSON text. */
export interface JournalRow {
  seq: number;
  ts: string;
  day: string;
  kind: string;
  summary: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export function toJournalEntry(row: JournalRow): JournalEntry {
  return {
    seq: row.seq,
    ts: row.ts,
    day: row.day,
    kind: row.kind as JournalKind,
    summary: row.summary,
    data: JSON.parse(row.data) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
