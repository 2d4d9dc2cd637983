export const MAGIC_DOC_SCHEMA = `
CREATE TABLE magic_docs (
  path           TEXT PRIMARY KEY,
  root           TEXT NOT NULL,
  subject        TEXT NOT NULL,
  dirty_since    TEXT,
  changed        TEXT NOT NULL DEFAULT '[]',
  last_refreshed TEXT,
  written_hash   TEXT
);
`;
