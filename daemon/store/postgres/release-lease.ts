import type { PostgresQueryable } from "./postgres-queryable.js";

const RELEASE = { name: "vigil_release_lease", text: "UPDATE vigil.leases SET holder = NULL, expires_at = now() WHERE name = $1 AND holder = $2 AND token = $3" };

/**
 * Gives the holding `token` of `name` up, so any node may take it at once. The row stays (its
 * token keeps counting). False when it was no longer this holding (taken over meanwhile).
 */
export async function releaseLease(q: PostgresQueryable, name: string, holder: string, token: number): Promise<boolean> {
  return (await q.query(RELEASE, [name, holder, token])).rowCount === 1;
}
