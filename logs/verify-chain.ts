import type { VigilDatabase } from "../daemon/store/open-database.js";
import { GENESIS_HASH, hashEntry } from "./hash-entry.js";

export type ChainVerdict =
  | { ok: true; rows: number; headSeq: number; headHash: string }
  | { ok: false; rows: number; seq: number; reason: string };

type RawRow = [number, string, string, string, string, string, string, string];

const PAGE_ROWS = 10_000;

/**
 * Walks the whole chain in seq order, streaming rows. Names the first seq where the chain breaks:
 * a row whose hash does not match its contents (edited), whose prevHash does not match the row
 * before (inserted, reordered), or a gap in seq (deleted).
 */
/** One read transaction, so every page comes from the same snapshot while other processes append. */
export function verifyChain(db: VigilDatabase): ChainVerdict {
  return db.transaction(() => _verifyPages(db))();
}

function _verifyPages(db: VigilDatabase): ChainVerdict {
  // Pages by seq instead of one row per step: crossing into SQLite once per page is what makes a
  // million rows take seconds rather than many.
  const page = db.prepare<[number, number], RawRow>("SELECT seq, ts, day, kind, summary, data, prev_hash, hash FROM journal WHERE seq > ? ORDER BY seq LIMIT ?").raw();
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let count = 0;
  let lastSeq = Number.MIN_SAFE_INTEGER;
  for (let rows = page.all(lastSeq, PAGE_ROWS); rows.length > 0; rows = page.all(lastSeq, PAGE_ROWS)) {
    for (const [seq, ts, day, kind, summary, data, prevHash, hash] of rows) {
      count++;
      const broken = _findBreak({ seq, expectedSeq, prevHash, previousHash, hash, recomputed: hashEntry({ seq, ts, day, kind, summary, data, prevHash }) });
      if (broken) return { ok: false, rows: count, ...broken };
      expectedSeq = seq + 1;
      previousHash = hash;
      lastSeq = seq;
    }
  }
  return { ok: true, rows: count, headSeq: expectedSeq - 1, headHash: previousHash };
}

function _findBreak(row: {
  seq: number;
  expectedSeq: number;
  prevHash: string;
  previousHash: string;
  hash: string;
  recomputed: string;
}): { seq: number; reason: string } | undefined {
  if (row.seq > row.expectedSeq) {
    const missing = row.seq - row.expectedSeq === 1 ? `row ${row.expectedSeq} is` : `rows ${row.expectedSeq}–${row.seq - 1} are`;
    return { seq: row.expectedSeq, reason: `${missing} missing (deleted)` };
  }
  if (row.prevHash !== row.previousHash) {
    return { seq: row.seq, reason: "prevHash does not match the row before it (row inserted, moved or replaced)" };
  }
  if (row.hash !== row.recomputed) {
    return { seq: row.seq, reason: "hash does not match the row's contents (row edited)" };
  }
  return undefined;
}
