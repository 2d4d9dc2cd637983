import { checkDurationMs } from "./check-duration-ms.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

export interface AcquiredLease {
  name: string;
  /** The fencing token: larger than every earlier holding's, so work done under an older one can be told apart and refused. */
  token: number;
  /** This call began the holding (the lease was new, free, expired or another's): anything left claimed under it before was abandoned. */
  begun: boolean;
}

/**
 * Takes each lease that is free, expired or already the holder's, in one statement. A live lease
 * of another node is never taken: the WHERE of ON CONFLICT leaves its row as it is and RETURNING
 * leaves it out. Two nodes racing for a free lease serialize on its row; the second sees the
 * first's holding and gets nothing. The token grows at every new holding (the holder's own live
 * lease keeps its token and is extended). `prior` is the statement's snapshot of the tokens: a
 * holding begun by this statement always has a different one. Rows are taken in name order, so
 * two nodes taking several at once cannot deadlock. Times are the database's now() (the
 * transaction's start: call it in a short transaction or none).
 */
const ACQUIRE = `WITH prior AS (SELECT name, token FROM vigil.leases WHERE name = ANY($1::text[]))
INSERT INTO vigil.leases AS l (name, holder, token, acquired_at, renewed_at, expires_at)
SELECT name, $2, 1, now(), now(), now() + $3::double precision * interval '1 millisecond' FROM unnest($1::text[]) AS name ORDER BY name
ON CONFLICT (name) DO UPDATE SET
  holder = excluded.holder,
  token = CASE WHEN l.holder = excluded.holder AND l.expires_at > now() THEN l.token ELSE l.token + 1 END,
  acquired_at = CASE WHEN l.holder = excluded.holder AND l.expires_at > now() THEN l.acquired_at ELSE now() END,
  renewed_at = now(),
  expires_at = excluded.expires_at
WHERE l.holder IS NULL OR l.expires_at <= now() OR l.holder = excluded.holder
RETURNING l.name, l.token, l.token IS DISTINCT FROM (SELECT p.token FROM prior AS p WHERE p.name = l.name) AS begun`;

/** One lease for `holder` (a registered node's id) for `ttlMs`; undefined while another node holds it. */
export async function acquireLease(q: PostgresQueryable, name: string, holder: string, ttlMs: number): Promise<AcquiredLease | undefined> {
  return (await acquireLeases(q, [name], holder, ttlMs))[0];
}

/** The leases of `names` that could be taken, in name order (the others are live and another node's). */
export async function acquireLeases(q: PostgresQueryable, names: readonly string[], holder: string, ttlMs: number): Promise<AcquiredLease[]> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return [];
  if (unique.some((name) => typeof name !== "string" || name === "")) throw new TypeError("a lease needs a name (e.g. dream, partition:github:octo/app)");
  checkDurationMs(ttlMs, "a lease's ttlMs");
  try {
    const { rows } = await q.query<{ name: string; token: string; begun: boolean }>(ACQUIRE, [unique, holder, ttlMs]);
    return rows.map((row) => ({ name: row.name, token: Number(row.token), begun: row.begun })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    if ((error as { code?: unknown })?.code === "23503") throw new Error(`node "${holder}" is not registered in vigil.nodes, so it cannot hold a lease: registerNode first (it may have been forgotten as stale)`);
    throw error;
  }
}
