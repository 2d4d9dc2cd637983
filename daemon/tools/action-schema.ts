export const ACTION_SCHEMA = `
CREATE TABLE actions (
  id          TEXT PRIMARY KEY,
  turn_id     TEXT NOT NULL,
  tool        TEXT NOT NULL,
  input_hash  TEXT NOT NULL,
  input       TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('started', 'done', 'failed', 'unknown')),
  outcome     TEXT,
  started_at  TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX actions_by_tool_input ON actions (tool, input_hash);
`;
