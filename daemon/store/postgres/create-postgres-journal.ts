import type { Redactor } from "../../logger/redact-secrets.js";
import { canonicalJson } from "../../../logs/canonical-json.js";
import { toJournalEntry, type JournalEntry, type JournalRow } from "../../../logs/journal-entry.js";
import type { JournalInput } from "../../../logs/journal-entry.js";
import { localDay } from "../../../logs/local-day.js";
import { toStorableText } from "../../../logs/storable-text.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

export interface PostgresJournalOptions {
  /** A pool acting as the runtime role, or one client inside a store transaction. */
  pool: PostgresQueryable;
  timeZone: string;
  redact: Redactor;
  now?: () => Date;
}

/** logs/journal.ts's Journal, asynchronous, on PostgreSQL (no Markdown rendering: that stays the caller's). */
export interface PostgresJournal {
  append(input: JournalInput): Promise<JournalEntry>;
  /** Several rows in one statement: consecutive seqs, one commit (or the caller's transaction). */
  appendMany(inputs: readonly JournalInput[]): Promise<JournalEntry[]>;
  listDay(day: string): Promise<JournalEntry[]>;
  /** The turn's decision row (`decided` or `quiet`), or undefined while it has none. */
  decisionOf(turnId: string): Promise<JournalEntry | undefined>;
}

// Named: each connection parses and plans them once (about a third of a lone append's time here).
const APPEND = { name: "vigil_journal_append", text: "SELECT seq, prev_hash, hash FROM vigil.journal_append($1, $2, $3, $4, $5)" };
const LIST_DAY = { name: "vigil_journal_list_day", text: "SELECT seq, ts, day, kind, summary, data, prev_hash, hash FROM vigil.journal WHERE day = $1 ORDER BY seq" };
// Newest first by primary key: a turn's decision is among the last rows when anyone asks.
const DECISION_OF = {
  name: "vigil_journal_decision_of",
  text: "SELECT seq, ts, day, kind, summary, data, prev_hash, hash FROM vigil.journal WHERE kind IN ('decided', 'quiet') AND (data::jsonb)->>'turnId' = $1 ORDER BY seq DESC LIMIT 1",
};

/** A stored row as pg returns it: bigint arrives as text. */
type PgJournalRow = Omit<JournalRow, "seq"> & { seq: string };

/**
 * The PostgreSQL writer of journal rows. Redaction and canonical JSON happen here, as in
 * logs/journal.ts; numbering, chaining and hashing happen in the database (vigil.journal_append,
 * under the chain-head lock), so appenders on any number of nodes leave one linear chain.
 */
export function createPostgresJournal({ pool, timeZone, redact, now = () => new Date() }: PostgresJournalOptions): PostgresJournal {
  const appendMany = async (inputs: readonly JournalInput[]): Promise<JournalEntry[]> => {
    if (inputs.length === 0) return [];
    const rows = inputs.map((input) => {
      const instant = now();
      return { ts: instant.toISOString(), day: localDay(instant, timeZone), kind: input.kind, summary: toStorableText(redact(input.summary)), data: canonicalJson(input.data ?? {}, redact) };
    });
    const { rows: chained } = await pool.query<{ seq: string; prev_hash: string; hash: string }>(APPEND, [
      rows.map((row) => row.ts),
      rows.map((row) => row.day),
      rows.map((row) => row.kind),
      rows.map((row) => row.summary),
      rows.map((row) => row.data),
    ]);
    return rows.map((row, i) => toJournalEntry({ ...row, seq: Number(chained[i]!.seq), prev_hash: chained[i]!.prev_hash, hash: chained[i]!.hash }));
  };
  const _entries = async (statement: { name: string; text: string }, values: unknown[]) =>
    (await pool.query<PgJournalRow>(statement, values)).rows.map((row) => toJournalEntry({ ...row, seq: Number(row.seq) }));
  return {
    appendMany,
    append: async (input) => (await appendMany([input]))[0]!,
    listDay: (day) => _entries(LIST_DAY, [day]),
    decisionOf: async (turnId) => (await _entries(DECISION_OF, [turnId]))[0],
  };
}
