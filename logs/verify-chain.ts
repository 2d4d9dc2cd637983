import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { VigilDatabase } from "../daemon/store/open-database.js";
import { GENESIS_HASH } from "./hash-entry.js";
import { verifyRange, type RangeRequest, type RangeVerdict } from "./verify-range.js";
import { readHeadSeq } from "./read-head-seq.js";

export type ChainVerdict =
  | { ok: true; rows: number; headSeq: number; headHash: string }
  | { ok: false; rows: number; seq: number; reason: string };

/** Below this many rows a worker's start-up costs more than it saves. */
const PARALLEL_FROM_ROWS = 200_000;
const WORKER_FILE = fileURLToPath(new URL("./verify-range-worker.js", import.meta.url));

/** Walks the whole chain in seq order in one read transaction, so rows appended meanwhile by other processes are not half-seen. */
export function verifyChain(db: VigilDatabase): ChainVerdict {
  return db.transaction(() => {
    const head = readHeadSeq(db);
    return _verdict(head, [verifyRange(db, { from: 1, to: head, previousHash: GENESIS_HASH, openBelow: true })]);
  })();
}

/**
 * The same verdict, with the hashing spread over worker threads for a large journal: each checks a
 * contiguous range on its own read-only connection and this thread stitches the ranges (each
 * range's first prevHash must be the hash the range before ended on). Rows up to the head read
 * here do not change under the append-only triggers, so the ranges need no common snapshot.
 * Falls back to one thread when the journal is small or the worker is not built (tests on sources).
 */
export async function verifyChainInParallel(db: VigilDatabase, { threads = availableParallelism(), minRows = PARALLEL_FROM_ROWS } = {}): Promise<ChainVerdict> {
  const head = readHeadSeq(db);
  if (threads < 2 || head < minRows || !existsSync(WORKER_FILE)) return verifyChain(db);
  const size = Math.ceil(head / threads);
  const requests: RangeRequest[] = Array.from({ length: threads }, (_, i) => ({ from: i * size + 1, to: Math.min(head, (i + 1) * size) })).filter((range) => range.from <= range.to);
  requests[0] = { ...requests[0]!, previousHash: GENESIS_HASH, openBelow: true };
  const verdicts = await Promise.all(requests.map((request) => _verifyInWorker(db.name, request)));
  return _verdict(head, verdicts, requests);
}

/** Joins range verdicts in order: the first break wins, counting the rows of the ranges before it. */
function _verdict(head: number, verdicts: readonly RangeVerdict[], requests?: readonly RangeRequest[]): ChainVerdict {
  let rows = 0;
  let lastHash = GENESIS_HASH;
  for (const [i, verdict] of verdicts.entries()) {
    const from = requests?.[i]?.from ?? 1;
    const stitchBroken = i > 0 && verdict.firstPrevHash !== undefined && verdict.firstPrevHash !== lastHash;
    if (stitchBroken && (verdict.ok || verdict.seq > from)) {
      return { ok: false, rows: rows + 1, seq: from, reason: "prevHash does not match the row before it (row inserted, moved or replaced)" };
    }
    if (!verdict.ok) return { ok: false, rows: rows + verdict.rows, seq: verdict.seq, reason: verdict.reason };
    rows += verdict.rows;
    lastHash = verdict.lastHash ?? lastHash;
  }
  return { ok: true, rows, headSeq: Math.max(head, 0), headHash: lastHash };
}

function _verifyInWorker(file: string, request: RangeRequest): Promise<RangeVerdict> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: { file, request } });
    worker.once("message", (verdict: RangeVerdict) => resolve(verdict));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`journal verify worker exited with code ${code}`))));
  });
}
