import type { VigilDatabase } from "../daemon/store/open-database.js";
import { checkChainRow, describeMissingRows } from "./check-chain-row.js";

export interface RangeRequest {
  /** First seq expected; the first range also reads anything below it (a forged seq 0 is a break). */
  from: number;
  to: number;
  /** The hash the range's first row must name; undefined: take the first row's own (a later range, stitched by the caller). */
  previousHash?: string;
  openBelow?: boolean;
}

export type RangeVerdict =
  | { ok: true; rows: number; firstPrevHash?: string; lastHash?: string }
  | { ok: false; rows: number; seq: number; reason: string; firstPrevHash?: string };

type RawRow = [number, string, string, string, string, string, string, string];

const PAGE_ROWS = 10_000;

/**
 * Walks rows `from`..`to` in seq order and names the first break: a row whose hash does not match
 * its contents (edited), whose prevHash does not match the row before (inserted, reordered), or a
 * gap in seq (deleted). Pages of raw rows: crossing into SQLite once per 10,000 rows, not per row.
 * The caller holds a read transaction so every page comes from one snapshot.
 */
export function verifyRange(db: VigilDatabase, request: RangeRequest): RangeVerdict {
  const page = db.prepare<[number, number, number], RawRow>("SELECT seq, ts, day, kind, summary, data, prev_hash, hash FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?").raw();
  let expectedSeq = request.from;
  let previousHash = request.previousHash;
  let firstPrevHash: string | undefined;
  let count = 0;
  let lastSeq = request.openBelow ? Number.MIN_SAFE_INTEGER : request.from - 1;
  for (let rows = page.all(lastSeq, request.to, PAGE_ROWS); rows.length > 0; rows = page.all(lastSeq, request.to, PAGE_ROWS)) {
    for (const [seq, ts, day, kind, summary, data, prevHash, hash] of rows) {
      count++;
      firstPrevHash ??= prevHash;
      const broken = checkChainRow({ seq, ts, day, kind, summary, data, prevHash, hash }, expectedSeq, previousHash ?? prevHash);
      if (broken) return { ok: false, rows: count, ...broken, firstPrevHash };
      expectedSeq = seq + 1;
      previousHash = hash;
      lastSeq = seq;
    }
  }
  if (expectedSeq <= request.to) return { ok: false, rows: count, seq: expectedSeq, reason: `${describeMissingRows(expectedSeq, request.to + 1)} missing (deleted)`, firstPrevHash };
  return { ok: true, rows: count, firstPrevHash, lastHash: previousHash };
}
