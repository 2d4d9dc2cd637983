/** GitHub polling's validators and snapshots by URL (daemon/github/poll-cache-schema.ts), kept by `ON CONFLICT (url)` upserts. */
export function postgresPollCacheSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.poll_cache (
  url      text PRIMARY KEY,
  etag     text,
  snapshot text
);
GRANT SELECT, INSERT, UPDATE ON vigil.poll_cache TO ${runtimeRole};
`;
}
