/**
 * Migration 5: `vigil.json_field(doc, key)`, a top-level field of JSON text that is NULL instead of
 * an error when the text is not JSON PostgreSQL's jsonb can hold. JSON text may escape a NUL or a
 * lone surrogate (`\u0000`, `\ud83d`), which SQLite's JSON functions read and jsonb refuses: one
 * such journal row or copied event must not break `vigil log --source` or a partition's index for
 * every other row. The partition function is redefined on it (same values for every valid row).
 */
export function postgresJsonFieldSchema(runtimeRole: string): string {
  return `
CREATE FUNCTION vigil.json_field(doc text, key text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN doc::jsonb ->> key;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION vigil.event_partition(source text, payload text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE source
    WHEN 'github' THEN 'github:' || coalesce(vigil.json_field(payload, 'repo'), '')
    WHEN 'files' THEN 'files:' || coalesce(vigil.json_field(payload, 'root'), '')
    ELSE source
  END
$$;
GRANT EXECUTE ON FUNCTION vigil.json_field(text, text) TO ${runtimeRole};
`;
}
