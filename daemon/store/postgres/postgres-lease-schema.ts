/**
 * Leases: a named piece of work (`dream`, `review`, `partition:github:octo/app`, `turn:42`) held by
 * one node until `expires_at` (the database's clock), renewed while the work runs. A row is never
 * deleted: releasing (or forgetting the holder) only empties `holder`, so `token`, the fencing
 * token, grows over the lease's whole life and a later holding always carries a larger one than
 * any earlier. Not a table of the SQLite dialect, and not carried by `vigil store copy`.
 */
export function postgresLeaseSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.leases (
  name        text PRIMARY KEY CHECK (name <> ''),
  holder      text REFERENCES vigil.nodes (id) ON DELETE SET NULL,
  token       bigint NOT NULL CHECK (token > 0),
  acquired_at timestamptz NOT NULL,
  renewed_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX leases_by_holder ON vigil.leases (holder);
GRANT SELECT, INSERT, UPDATE ON vigil.leases TO ${runtimeRole};
`;
}
