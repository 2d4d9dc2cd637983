/** One row per turn: when it ran and how it ended ('interrupted' when the daemon died during it). */
export const TURN_SCHEMA = `
CREATE TABLE turns (
  id         TEXT PRIMARY KEY,
  reason     TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at   TEXT,
  outcome    TEXT CHECK (outcome IN ('quiet', 'acted', 'failed', 'interrupted'))
);
`;
