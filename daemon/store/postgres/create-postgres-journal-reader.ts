import type { Pool } from "pg";
import { toJournalEntry, type JournalRow } from "../../../logs/journal-entry.js";
import type { JournalReader } from "../../../logs/journal-reader.js";
import type { EntryQuery } from "../../../logs/query-entries.js";
import { verifyPostgresChain } from "./verify-postgres-chain.js";

const COLUMNS = "seq, ts, day, kind, summary, data, prev_hash, hash";

/** Each filter of logs/query-entries.ts in PostgreSQL's dialect: its SQL (with `?` for its parameter) and the parameter. */
const FILTERS: ReadonlyArray<[keyof EntryQuery, string, (value: never) => unknown]> = [
  ["day", "day = ?", (day: string) => day],
  ["kind", "kind = ?", (kind: string) => kind],
  // ILIKE, as SQLite's LIKE is case-blind (PostgreSQL's is so beyond ASCII too).
  ["grep", "(summary ILIKE ?1 ESCAPE '\\' OR data ILIKE ?1 ESCAPE '\\')", (grep: string) => `%${grep.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
  ["since", "ts >= ?", (since: string) => since],
  ["until", "ts < ?", (until: string) => until],
  // data is the hashed text, kept as written; a row whose data jsonb cannot hold matches no source.
  ["source", "vigil.json_field(data, 'source') = ?", (source: string) => source],
  ["afterSeq", "seq > ?", (seq: number) => seq],
];

/** A stored row as pg returns it: bigint arrives as text. */
type PgJournalRow = Omit<JournalRow, "seq"> & { seq: string };

/**
 * The journal reader on a PostgreSQL store (logs/journal-reader.ts): the same filters as SQLite's
 * queryEntries, and logs/verify-chain.ts's verdict from one snapshot (verify-postgres-chain.ts).
 * `pool` acts as the runtime role, which may read the journal and never change it.
 */
export function createPostgresJournalReader(pool: Pool, location: string): JournalReader {
  const rows = async (text: string, values: unknown[]) => (await pool.query<PgJournalRow>(text, values)).rows.map((row) => toJournalEntry({ ...row, seq: Number(row.seq) }));
  return {
    engine: "postgres",
    location,
    query: async (query = {}) => {
      const { where, values } = _where(query);
      const limit = query.last ?? query.limit;
      const sql = [`SELECT ${COLUMNS} FROM vigil.journal`, where, query.last ? "ORDER BY seq DESC" : "ORDER BY seq", limit ? `LIMIT ${Math.trunc(limit)}` : ""].join(" ");
      const found = await rows(sql, values);
      return query.last ? found.reverse() : found;
    },
    head: async () => {
      const { rows: head } = await pool.query<{ seq: string; hash: string }>("SELECT seq, hash FROM vigil.journal ORDER BY seq DESC LIMIT 1");
      return head[0] && { seq: Number(head[0].seq), hash: head[0].hash };
    },
    hashAt: async (seq) => (await pool.query<{ hash: string }>("SELECT hash FROM vigil.journal WHERE seq = $1", [seq])).rows[0]?.hash,
    verify: () => verifyPostgresChain(pool),
    close: () => pool.end(),
  };
}

/** The WHERE clause and its values, numbering each filter's `?` ($1, $2 …; `?1` repeats the filter's own). */
function _where(query: EntryQuery): { where: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  for (const [key, sql, toParam] of FILTERS) {
    const value = query[key];
    if (value === undefined || value === "") continue;
    values.push(toParam(value as never));
    clauses.push(sql.replace(/\?1?/g, `$${values.length}`));
  }
  return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", values };
}
