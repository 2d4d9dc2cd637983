/**
 * The nodes: every daemon on one PostgreSQL store registers a row (id `host:pid:random`, so a
 * restarted process is a new node) and touches `seen_at` on its tick, from the database's clock,
 * so `vigil status` can list the team and mark a node unseen for too long as stale. Not a table
 * of the SQLite dialect, and not carried by `vigil store copy`: a copy moves a home, not a
 * running team. The runtime may delete a row (forgetting a node that is gone frees its leases).
 */
export function postgresNodeSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.nodes (
  id         text PRIMARY KEY CHECK (id <> ''),
  host       text NOT NULL,
  pid        bigint NOT NULL,
  version    text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  seen_at    timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE, DELETE ON vigil.nodes TO ${runtimeRole};
`;
}
