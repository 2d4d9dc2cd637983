import type { Pool, PoolClient } from "pg";
import { GENESIS_HASH } from "../../../logs/hash-entry.js";
import type { ChainVerdict } from "../../../logs/verify-chain.js";
import { checkChainRow, describeMissingRows } from "../../../logs/check-chain-row.js";

const PAGE_ROWS = 10_000;
const PAGE = "SELECT seq, ts, day, kind, summary, data, prev_hash, hash FROM vigil.journal WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3";

type RawRow = [string, string, string, string, string, string, string, string];

/**
 * logs/verify-chain.ts's verdict for the PostgreSQL journal: the whole chain in seq order, in pages
 * of 10,000 rows, all from one REPEATABLE READ snapshot, so rows other nodes append meanwhile are
 * not half-seen. Rows below seq 1 are read too: a forged seq 0 is a break, as on SQLite.
 */
export async function verifyPostgresChain(pool: Pool): Promise<ChainVerdict> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return await verifyPostgresChainIn(client);
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    client.release();
  }
}

/**
 * The same walk on a connection inside the caller's transaction, which sees its own uncommitted
 * rows: `vigil store copy` verifies what it wrote before it commits.
 */
export async function verifyPostgresChainIn(client: PoolClient): Promise<ChainVerdict> {
  const head = Number((await client.query<{ seq: string | null }>("SELECT max(seq) AS seq FROM vigil.journal")).rows[0]?.seq ?? 0);
  let expectedSeq = 1;
  let previousHash: string | undefined;
  let rows = 0;
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const page = await client.query<RawRow>({ text: PAGE, values: [after, head, PAGE_ROWS], rowMode: "array" });
    if (page.rows.length === 0) break;
    for (const [seqText, ts, day, kind, summary, data, prevHash, hash] of page.rows) {
      const seq = Number(seqText);
      rows++;
      const broken = checkChainRow({ seq, ts, day, kind, summary, data, prevHash, hash }, expectedSeq, previousHash ?? GENESIS_HASH);
      if (broken) return { ok: false, rows, ...broken };
      expectedSeq = seq + 1;
      previousHash = hash;
      after = seq;
    }
  }
  if (expectedSeq <= head) return { ok: false, rows, seq: expectedSeq, reason: `${describeMissingRows(expectedSeq, head + 1)} missing (deleted)` };
  return { ok: true, rows, headSeq: Math.max(head, 0), headHash: previousHash ?? GENESIS_HASH };
}
