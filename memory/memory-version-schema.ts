export const MEMORY_VERSION_SCHEMA = `
CREATE TABLE memory_versions (
  version INTEGER PRIMARY KEY,
  ts      TEXT NOT NULL,
  reason  TEXT NOT NULL,
  files   TEXT NOT NULL
);
`;
