/**
 * Transcripts of past turns and the full-text index over them and the journal (memory/recall-schema.ts
 * after RECALL_BATCH_MIGRATION). SQLite's FTS5 table becomes a plain table with a generated
 * tsvector and a GIN index: derived data, as before — transcripts reach it by trigger, journal rows
 * in batches up to `recall_progress.journal_seq` (0 here: the first search indexes every row), and
 * `vigil store copy` rebuilds it on its target instead of copying it.
 *
 * Words: FTS5's `porter unicode61` stems English and keeps every word. PostgreSQL's `english`
 * configuration stems too but drops stop words ("the", "not"), so `vigil.recall_words` is
 * `english` with a Snowball stemmer that has no stop word list. Unlike unicode61 it does not fold
 * diacritics (that needs the unaccent extension, which a plain server may not have).
 *
 * `ref` is text: the journal's seq as text (SQLite's search casts it so too) or the turn id.
 * recall_by_ref serves retention's delete of a dropped transcript's entries, which FTS5 scanned for.
 */
export function postgresRecallSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.transcripts (
  turn_id text PRIMARY KEY,
  ts      text NOT NULL,
  day     text NOT NULL,
  body    text NOT NULL
);

CREATE TEXT SEARCH DICTIONARY vigil.recall_stem (TEMPLATE = pg_catalog.snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION vigil.recall_words (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION vigil.recall_words
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH vigil.recall_stem;

CREATE TABLE vigil.recall (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  body   text NOT NULL,
  source text NOT NULL,
  ref    text NOT NULL,
  day    text NOT NULL,
  words  tsvector GENERATED ALWAYS AS (pg_catalog.to_tsvector('vigil.recall_words'::regconfig, body)) STORED
);
CREATE INDEX recall_by_words ON vigil.recall USING gin (words);
CREATE INDEX recall_by_ref ON vigil.recall (source, ref);

CREATE FUNCTION vigil.transcript_to_recall() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO vigil.recall (body, source, ref, day) VALUES (NEW.body, 'transcript', NEW.turn_id, NEW.day);
  RETURN NULL;
END
$$;
CREATE TRIGGER transcript_to_recall AFTER INSERT ON vigil.transcripts FOR EACH ROW EXECUTE FUNCTION vigil.transcript_to_recall();

CREATE TABLE vigil.recall_progress (
  id          bigint PRIMARY KEY CHECK (id = 1),
  journal_seq bigint NOT NULL
);
INSERT INTO vigil.recall_progress (id, journal_seq) VALUES (1, 0);

GRANT SELECT, INSERT, DELETE ON vigil.transcripts, vigil.recall TO ${runtimeRole};
GRANT SELECT, UPDATE ON vigil.recall_progress TO ${runtimeRole};
`;
}
