import type { PostgresNode } from "./create-postgres-turn-queue.js";
import type { PostgresQueryable } from "./postgres-queryable.js";
import { renewLease } from "./renew-lease.js";

export interface LeaseRenewal {
  /** No more passes; resolves once one in flight is done. */
  stop(): Promise<void>;
}

export interface LeaseRenewalOptions {
  /** How often a pass runs; a third of the TTL leaves two passes' room for a slow database. */
  everyMs?: number;
  /** A pass that failed (the database away): the next one tries again, and the turn's fence decides. */
  onError?: (error: Error) => void;
}

/**
 * A turn that runs longer than a lease (a slow model call, a long tool) keeps its partitions: a
 * timer of the node renews the leases of every open turn by their fencing token, on the pool and
 * outside any transaction of the turn. A renewal that finds its lease taken over changes
 * nothing: the turn's fence (`queue.fence`, `complete`) then refuses what it would record, since
 * the node may only find out there. A stalled event loop renews nothing, so a node that hangs
 * still loses its partitions after one TTL, which is the point of a lease. The timer never keeps
 * the process alive.
 */
export function keepLeasesRenewed(q: PostgresQueryable, node: PostgresNode, { everyMs = node.leaseTtlMs / 3, onError = () => undefined }: LeaseRenewalOptions = {}): LeaseRenewal {
  let running: Promise<void> | undefined;
  // One pass: every partition lease an open turn of this node holds, extended by the node's TTL.
  const _renew = async () => {
    for (const leases of [...node.leasesByTurn.values()]) {
      for (const lease of leases) await renewLease(q, lease.name, node.id, lease.token, node.leaseTtlMs);
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = _renew()
      .catch((error: Error) => onError(error))
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
