import { hostname } from "node:os";
import type { PostgresNode } from "./create-postgres-turn-queue.js";
import { makeNodeId } from "./make-node-id.js";
import type { PostgresQueryable } from "./postgres-queryable.js";
import { registerNode } from "./register-node.js";

/** A node of this process on the store: a fresh id, registered (leases name their holder), holding nothing yet. */
export async function startPostgresNode(q: PostgresQueryable, { version, leaseTtlMs }: { version: string; leaseTtlMs: number }): Promise<PostgresNode> {
  const id = makeNodeId();
  await registerNode(q, { id, host: hostname(), pid: process.pid, version });
  return { id, leaseTtlMs, leasesByTurn: new Map() };
}
