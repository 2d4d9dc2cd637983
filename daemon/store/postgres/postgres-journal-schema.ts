import { JOURNAL_KINDS } from "../../../logs/journal-kinds.js";

/** pg_advisory_xact_lock key of the chain head ("vigljrnl"): one appender at a time, until its transaction ends. */
export const JOURNAL_HEAD_LOCK = "8532464684370128492";

const ARRAYS = "text[], text[], text[], text[], text[]";

/**
 * The journal in PostgreSQL: the columns of logs/journal-schema.ts, text throughout (`data` is
 * the canonical JSON hashed byte for byte, so not jsonb), read by day through (day, seq).
 *
 * Append-only twice over: statement triggers refuse UPDATE, DELETE and TRUNCATE to everyone,
 * the owner included, and the runtime role (`runtimeRole`, a parameter since this file imports
 * nothing) holds only SELECT and INSERT on it and EXECUTE on journal_append.
 *
 * `journal_row_hash` is logs/hash-entry.ts in SQL: sha256 over the UTF-8 of
 * JSON.stringify([seq, ts, day, kind, summary, data, prevHash]). to_json(text) escapes as
 * JSON.stringify does (quote, backslash, b f n r t, other controls as lowercase u00xx; the rest,
 * U+2028 and emoji included, as is), and the array is joined without spaces, as JSON.stringify
 * joins it. test/integration/postgres-journal.test.ts holds the two to each other.
 *
 * `journal_append` appends a batch in one statement: it takes the head lock, reads the head
 * (READ COMMITTED gives each statement of the function a fresh snapshot, so the head is the one
 * the last holder committed), then numbers, chains and hashes each row in the database.
 */
export function postgresJournalSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.journal (
  seq       bigint PRIMARY KEY,
  ts        text NOT NULL,
  day       text NOT NULL,
  kind      text NOT NULL CONSTRAINT journal_kind CHECK (kind IN (${JOURNAL_KINDS.map((kind) => `'${kind}'`).join(", ")})),
  summary   text NOT NULL,
  data      text NOT NULL,
  prev_hash text NOT NULL,
  hash      text NOT NULL
);
CREATE INDEX journal_by_day ON vigil.journal (day, seq);

CREATE FUNCTION vigil.journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journal is append-only: % is not allowed', TG_OP
    USING HINT = 'rows are never changed or removed; append a row that corrects one instead';
END
$$;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON vigil.journal FOR EACH STATEMENT EXECUTE FUNCTION vigil.journal_refuse_change();
CREATE TRIGGER journal_no_delete BEFORE DELETE ON vigil.journal FOR EACH STATEMENT EXECUTE FUNCTION vigil.journal_refuse_change();
CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON vigil.journal FOR EACH STATEMENT EXECUTE FUNCTION vigil.journal_refuse_change();

CREATE FUNCTION vigil.journal_row_hash(seq bigint, ts text, day text, kind text, summary text, data text, prev_hash text)
RETURNS text LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
    '[' || seq::text
    || ',' || pg_catalog.to_json(ts)::text
    || ',' || pg_catalog.to_json(day)::text
    || ',' || pg_catalog.to_json(kind)::text
    || ',' || pg_catalog.to_json(summary)::text
    || ',' || pg_catalog.to_json(data)::text
    || ',' || pg_catalog.to_json(prev_hash)::text
    || ']', 'UTF8')), 'hex')
$$;

CREATE FUNCTION vigil.journal_append(p_ts text[], p_day text[], p_kind text[], p_summary text[], p_data text[])
RETURNS TABLE (seq bigint, prev_hash text, hash text) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  n integer := coalesce(pg_catalog.array_length(p_ts, 1), 0);
  head_seq bigint;
  head_hash text;
  row_hash text;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  IF coalesce(pg_catalog.array_length(p_day, 1), 0) <> n OR coalesce(pg_catalog.array_length(p_kind, 1), 0) <> n
     OR coalesce(pg_catalog.array_length(p_summary, 1), 0) <> n OR coalesce(pg_catalog.array_length(p_data, 1), 0) <> n THEN
    RAISE EXCEPTION 'journal_append: ts, day, kind, summary and data must be arrays of one length' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'journal_append needs READ COMMITTED, not %: a fixed snapshot would not see the head other appenders committed', pg_catalog.current_setting('transaction_isolation')
      USING ERRCODE = 'invalid_transaction_state';
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(${JOURNAL_HEAD_LOCK});
  SELECT j.seq, j.hash INTO head_seq, head_hash FROM vigil.journal AS j ORDER BY j.seq DESC LIMIT 1;
  IF head_seq IS NULL THEN
    head_seq := 0;
    head_hash := pg_catalog.repeat('0', 64);
  END IF;
  FOR i IN 1 .. n LOOP
    head_seq := head_seq + 1;
    row_hash := vigil.journal_row_hash(head_seq, p_ts[i], p_day[i], p_kind[i], p_summary[i], p_data[i], head_hash);
    INSERT INTO vigil.journal (seq, ts, day, kind, summary, data, prev_hash, hash)
      VALUES (head_seq, p_ts[i], p_day[i], p_kind[i], p_summary[i], p_data[i], head_hash, row_hash);
    seq := head_seq;
    prev_hash := head_hash;
    hash := row_hash;
    RETURN NEXT;
    head_hash := row_hash;
  END LOOP;
END
$$;

REVOKE ALL ON vigil.journal FROM PUBLIC;
GRANT SELECT, INSERT ON vigil.journal TO ${runtimeRole};
REVOKE ALL ON FUNCTION vigil.journal_append(${ARRAYS}) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil.journal_append(${ARRAYS}) TO ${runtimeRole};
`;
}
