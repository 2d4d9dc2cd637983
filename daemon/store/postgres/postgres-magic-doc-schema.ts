/** Magic documents by path (memory/magic-doc-schema.ts): registered by upsert, marked by UPDATE, forgotten by DELETE. */
export function postgresMagicDocSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.magic_docs (
  path           text PRIMARY KEY,
  root           text NOT NULL,
  subject        text NOT NULL,
  dirty_since    text,
  changed        text NOT NULL DEFAULT '[]',
  last_refreshed text,
  written_hash   text
);
GRANT SELECT, INSERT, UPDATE, DELETE ON vigil.magic_docs TO ${runtimeRole};
`;
}
