export const APPROVAL_SCHEMA = `
CREATE TABLE approvals (
  id          INTEGER PRIMARY KEY,
  turn_id     TEXT NOT NULL,
  tool_use_id TEXT NOT NULL,
  tool        TEXT NOT NULL,
  input       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'denied', 'expired', 'done', 'failed')),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  decided_at  TEXT,
  outcome     TEXT
);
`;
