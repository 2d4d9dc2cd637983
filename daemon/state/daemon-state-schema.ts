export const DAEMON_STATE_SCHEMA = `
CREATE TABLE daemon_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
