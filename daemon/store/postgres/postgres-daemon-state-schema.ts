/**
 * Small named values (daemon/state/daemon-state-schema.ts): upserted by key, and deleted — a
 * cleared value, and a review-page login token, which is consumed by its DELETE so it works once.
 */
export function postgresDaemonStateSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.daemon_state (
  key   text PRIMARY KEY,
  value text NOT NULL
);
GRANT SELECT, INSERT, UPDATE, DELETE ON vigil.daemon_state TO ${runtimeRole};
`;
}
