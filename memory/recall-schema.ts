/**
 * Transcripts of past turns and the full-text index over them and the journal (FTS5). The journal
 * reaches the index by trigger, so every row is searchable the moment it is appended, whichever
 * process appended it; existing rows are indexed once when this migration runs.
 */
/** Kept apart so a rebuild of the journal table (a new kind) can put it back. */
export const JOURNAL_TO_RECALL_TRIGGER = `CREATE TRIGGER journal_to_recall AFTER INSERT ON journal
BEGIN INSERT INTO recall (body, source, ref, day) VALUES (new.kind || ': ' || new.summary || ' ' || new.data, 'journal', new.seq, new.day); END;`;

export const RECALL_SCHEMA = `
CREATE TABLE transcripts (
  turn_id TEXT PRIMARY KEY,
  ts      TEXT NOT NULL,
  day     TEXT NOT NULL,
  body    TEXT NOT NULL
);
CREATE VIRTUAL TABLE recall USING fts5(body, source UNINDEXED, ref UNINDEXED, day UNINDEXED, tokenize = 'porter unicode61');
${JOURNAL_TO_RECALL_TRIGGER}
CREATE TRIGGER transcript_to_recall AFTER INSERT ON transcripts
BEGIN INSERT INTO recall (body, source, ref, day) VALUES (new.body, 'transcript', new.turn_id, new.day); END;
INSERT INTO recall (body, source, ref, day) SELECT kind || ': ' || summary || ' ' || data, 'journal', seq, day FROM journal;
`;
