import { hashEntry, type HashedFields } from "../../../logs/hash-entry.js";
import type { PostgresQueryable } from "./postgres-queryable.js";
import { PostgresSchemaError } from "./postgres-schema-error.js";

/** Every character JSON.stringify escapes, and a few it leaves alone that an encoder might not. */
const SAMPLE: HashedFields = {
  seq: 9_007_199_254_740_991,
  ts: "2026-03-29T01:30:00.123Z",
  day: "2026-03-29",
  kind: "noticed",
  summary: `"quoted" \\back\\ ${Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join("")} \u007f \u2028\u2029 é 🦉`,
  data: JSON.stringify({ text: 'a "b" \\c\n\t', emoji: "🦉", sep: "\u2028" }),
  prevHash: "f".repeat(64),
};

/**
 * The database hashes journal rows itself (vigil.journal_row_hash): one round trip at start shows
 * it still hashes as logs/hash-entry.ts does, before a row is written that would not verify.
 */
export async function checkPostgresHashing(db: PostgresQueryable): Promise<void> {
  const { rows } = await db.query<{ hash: string }>("SELECT vigil.journal_row_hash($1, $2, $3, $4, $5, $6, $7) AS hash", [
    SAMPLE.seq,
    SAMPLE.ts,
    SAMPLE.day,
    SAMPLE.kind,
    SAMPLE.summary,
    SAMPLE.data,
    SAMPLE.prevHash,
  ]);
  const expected = hashEntry(SAMPLE);
  if (rows[0]?.hash !== expected) {
    throw new PostgresSchemaError(`this PostgreSQL hashes journal rows differently from Vigil (${rows[0]?.hash} instead of ${expected}): rows it appended would not verify; nothing was appended, report it with the server's version`);
  }
}
