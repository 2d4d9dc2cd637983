export const WAKEUP_SCHEMA = `
CREATE TABLE wakeups (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('once', 'cron')),
  at              TEXT,
  cron            TEXT,
  note            TEXT NOT NULL,
  origin          TEXT NOT NULL CHECK (origin IN ('agent', 'config')),
  state           TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'done', 'removed')),
  created_at      TEXT NOT NULL,
  checked_through TEXT
);
`;

export const WAKEUP_MISSED_MIGRATION = "ALTER TABLE wakeups ADD COLUMN missed TEXT NOT NULL DEFAULT 'run-once';";
