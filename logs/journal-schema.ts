import { JOURNAL_KINDS } from "./journal-kinds.js";

/**
 * The journal table. Append-only by trigger: UPDATE and DELETE abort, so neither the agent nor a
 * bug can rewrite history through SQL. `day` is the user's local date and partitions reads.
 */
export const JOURNAL_SCHEMA = `
CREATE TABLE journal (
  seq       INTEGER PRIMARY KEY,
  ts        TEXT NOT NULL,
  day       TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN (${JOURNAL_KINDS.map((kind) => `'${kind}'`).join(", ")})),
  summary   TEXT NOT NULL,
  data      TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX journal_by_day ON journal (day, seq);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only: UPDATE is not allowed'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only: DELETE is not allowed'); END;
`;

/**
 * A new journal kind changes the table's CHECK, which SQLite cannot alter: the table is rebuilt
 * with every row (seq, hashes and all) copied as it was, so the chain still verifies.
 * `afterInsertTriggers` are other modules' triggers on the journal, dropped first and put back.
 */
export function rebuildJournalSql(afterInsertTriggers: readonly { name: string; sql: string }[]): string {
  return [
    ...afterInsertTriggers.map((trigger) => `DROP TRIGGER IF EXISTS ${trigger.name};`),
    "DROP TRIGGER journal_no_update;",
    "DROP TRIGGER journal_no_delete;",
    "DROP INDEX journal_by_day;",
    "ALTER TABLE journal RENAME TO journal_rebuild;",
    JOURNAL_SCHEMA,
    "INSERT INTO journal (seq, ts, day, kind, summary, data, prev_hash, hash) SELECT seq, ts, day, kind, summary, data, prev_hash, hash FROM journal_rebuild ORDER BY seq;",
    "DROP TABLE journal_rebuild;",
    ...afterInsertTriggers.map((trigger) => trigger.sql),
  ].join("\n");
}
