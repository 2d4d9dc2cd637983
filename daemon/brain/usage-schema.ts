export const USAGE_SCHEMA = `
CREATE TABLE usage (
  day         TEXT NOT NULL,
  model       TEXT NOT NULL,
  calls       INTEGER NOT NULL DEFAULT 0,
  input       INTEGER NOT NULL DEFAULT 0,
  output      INTEGER NOT NULL DEFAULT 0,
  cache_read  INTEGER NOT NULL DEFAULT 0,
  cache_write INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, model)
);
`;
