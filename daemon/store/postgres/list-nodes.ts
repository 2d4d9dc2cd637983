import { checkDurationMs } from "./check-duration-ms.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

/** A live lease as `vigil status` shows it beside its holder. */
export interface HeldLease {
  name: string;
  token: number;
  /** Until it expires, by the database's clock (the node's may differ). */
  expiresInMs: number;
}

export interface NodeStatus {
  id: string;
  host: string;
  pid: number;
  version: string;
  startedAt: Date;
  seenAt: Date;
  /** Since the node last touched its row, by the database's clock. */
  seenAgoMs: number;
  /** Unseen for longer than the staleness asked for: probably gone (its leases expire on their own). */
  stale: boolean;
  /** The unexpired leases it holds, by name. */
  leases: HeldLease[];
}

const LIST = `SELECT n.id, n.host, n.pid, n.version, n.started_at, n.seen_at,
       floor(extract(epoch FROM now() - n.seen_at) * 1000) AS seen_ago_ms,
       n.seen_at < now() - $1::double precision * interval '1 millisecond' AS stale,
       coalesce(json_agg(json_build_object('name', l.name, 'token', l.token, 'expiresInMs', ceil(extract(epoch FROM l.expires_at - now()) * 1000)) ORDER BY l.name)
                FILTER (WHERE l.name IS NOT NULL), '[]') AS leases
  FROM vigil.nodes AS n LEFT JOIN vigil.leases AS l ON l.holder = n.id AND l.expires_at > now()
 GROUP BY n.id
 ORDER BY n.started_at, n.id`;

interface NodeRow {
  id: string;
  host: string;
  pid: string;
  version: string;
  started_at: Date;
  seen_at: Date;
  seen_ago_ms: string;
  stale: boolean;
  leases: HeldLease[];
}

/** Every registered node, oldest first, with what it holds: what `vigil status` lists for a team. */
export async function listNodes(q: PostgresQueryable, { staleAfterMs }: { staleAfterMs: number }): Promise<NodeStatus[]> {
  const { rows } = await q.query<NodeRow>(LIST, [checkDurationMs(staleAfterMs, "staleAfterMs")]);
  return rows.map((row) => ({
    id: row.id,
    host: row.host,
    pid: Number(row.pid),
    version: row.version,
    startedAt: row.started_at,
    seenAt: row.seen_at,
    seenAgoMs: Number(row.seen_ago_ms),
    stale: row.stale,
    leases: row.leases,
  }));
}
