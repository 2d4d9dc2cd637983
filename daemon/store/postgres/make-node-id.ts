import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

export interface NodeIdentity {
  host: string;
  pid: number;
  random: string;
}

/**
 * A node's id, `host:pid:random`: readable in `vigil status`, and new for every process (the
 * random part), so a restarted daemon never inherits the leases its previous process held.
 */
export function makeNodeId({ host = hostname(), pid = process.pid, random = randomBytes(4).toString("hex") }: Partial<NodeIdentity> = {}): string {
  return `${host}:${pid}:${random}`;
}
