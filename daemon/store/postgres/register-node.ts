import type { PostgresQueryable } from "./postgres-queryable.js";

export interface NodeRegistration {
  /** `host:pid:random` (makeNodeId). */
  id: string;
  host: string;
  pid: number;
  /** This Vigil's version, so `vigil status` shows a team running mixed versions. */
  version: string;
}

const REGISTER = `INSERT INTO vigil.nodes (id, host, pid, version) VALUES ($1, $2, $3, $4)
  ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, version = excluded.version, seen_at = now()
  RETURNING started_at`;

/**
 * Enters a node into the store's list, or (the same id again, after the database came back)
 * marks it seen; `started_at` stays its first registration's. Times are the database's own.
 */
export async function registerNode(q: PostgresQueryable, node: NodeRegistration): Promise<{ startedAt: Date }> {
  if (!node.id) throw new TypeError("a node needs an id (makeNodeId gives one)");
  const { rows } = await q.query<{ started_at: Date }>(REGISTER, [node.id, node.host, node.pid, node.version]);
  return { startedAt: rows[0]!.started_at };
}
