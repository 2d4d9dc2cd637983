import type { AcquiredLease } from "./acquire-lease.js";
import { claimWork, partitionLeaseName, type ClaimedEventRow } from "./claim-work.js";
import type { PostgresQueryable } from "./postgres-queryable.js";
import { releaseLease } from "./release-lease.js";
import { renewLease } from "./renew-lease.js";

/** What one node keeps between a turn's transactions: who it is, and the partition leases each open turn holds. */
export interface PostgresNode {
  id: string;
  leaseTtlMs: number;
  leasesByTurn: Map<string, AcquiredLease[]>;
}

export interface PostgresReleaseOptions {
  blame?: boolean;
  quarantineAfter?: number;
}

/** The turn side of the event queue (daemon/events/event-queue.ts's claim, complete, release, unclaim) on PostgreSQL, rows as stored. */
export interface PostgresTurnQueue {
  countPending(): Promise<number>;
  /**
   * Up to `limit` events for `turnId`, partition by partition under this node's leases
   * (claim-work.ts); `pick` may keep fewer of them (a batch's size limits): the rest are given
   * back, and the leases of partitions left without an event released.
   */
  claim(turnId: string, limit: number, pick?: (rows: readonly ClaimedEventRow[]) => readonly number[]): Promise<ClaimedEventRow[]>;
  /** Gives the turn's whole batch back untouched (to retry with a smaller one): no failure, no previous turn. */
  unclaim(turnId: string): Promise<number>;
  /**
   * The turn's events are done. Fenced: every partition lease the turn claimed under is renewed
   * first, in this transaction, and if one was taken over (this node stalled past its expiry and
   * another took the partition and its events) LeaseLostError rolls the decision back.
   */
  complete(turnId: string, at: Date): Promise<number>;
  release(turnId: string, options?: PostgresReleaseOptions): Promise<{ released: number; quarantined: ClaimedEventRow[] }>;
  /**
   * Renews the turn's partition leases in this transaction, or throws LeaseLostError: call it in
   * the transaction that writes an action's `started` row, before the side effect, so a node that
   * stalled past its lease does not act on events another node has taken over.
   */
  fence(turnId: string): Promise<void>;
}

export class LeaseLostError extends Error {}

const PENDING = { name: "vigil_events_pending", text: "SELECT count(*) AS n FROM vigil.events WHERE state IN ('pending', 'claimed')" };
const COMPLETE = { name: "vigil_events_complete", text: "UPDATE vigil.events SET state = 'done', done_at = $1 WHERE state = 'claimed' AND claimed_by = $2" };
const UNCLAIM_ALL = { name: "vigil_events_unclaim", text: "UPDATE vigil.events SET state = 'pending', claimed_by = NULL WHERE state = 'claimed' AND claimed_by = $1" };
const UNCLAIM_SOME = { name: "vigil_events_unclaim_some", text: "UPDATE vigil.events SET state = 'pending', claimed_by = NULL WHERE state = 'claimed' AND claimed_by = $1 AND id = ANY($2::bigint[])" };
const BLAME = { name: "vigil_events_blame", text: "UPDATE vigil.events SET failures = failures + 1 WHERE state = 'claimed' AND claimed_by = $1" };
const COLUMNS = "id, source, type, trust, urgent, summary, payload, received_at, previous_turn, failures, vigil.event_partition(source, payload) AS partition";
const QUARANTINE = {
  name: "vigil_events_quarantine",
  text: `UPDATE vigil.events SET state = 'quarantined', claimed_by = NULL WHERE state = 'claimed' AND claimed_by = $1 AND failures >= $2 RETURNING ${COLUMNS}`,
};
// All earlier claimers are kept, as on SQLite: an action done two interrupted turns ago must still not be repeated.
const HAND_BACK = {
  name: "vigil_events_hand_back",
  text: "UPDATE vigil.events SET state = 'pending', previous_turn = CASE WHEN previous_turn IS NULL THEN claimed_by ELSE previous_turn || ',' || claimed_by END, claimed_by = NULL WHERE state = 'claimed' AND claimed_by = $1",
};

/**
 * The queue's turn side for one node, on the transaction's connection `db`. The leases a claim
 * took are kept in `node` until the turn completes, fails or gives its events back, and released
 * then (in that transaction: a partition opens to other nodes exactly when its events are done).
 */
export function createPostgresTurnQueue(db: PostgresQueryable, node: PostgresNode, afterCommit: (change: () => void) => void): PostgresTurnQueue {
  // The map changes only once the transaction commits: a rolled-back finish keeps the turn's
  // leases known, so its retry renews them (and is fenced) instead of recording unfenced.
  const _letGo = async (turnId: string) => {
    for (const lease of node.leasesByTurn.get(turnId) ?? []) await releaseLease(db, lease.name, node.id, lease.token);
    afterCommit(() => node.leasesByTurn.delete(turnId));
  };
  const _fence = async (turnId: string) => {
    for (const lease of node.leasesByTurn.get(turnId) ?? []) {
      if (!(await renewLease(db, lease.name, node.id, lease.token, node.leaseTtlMs))) {
        throw new LeaseLostError(`turn ${turnId} lost ${lease.name} to another node: nothing it decides now is recorded, and that node handles the events again`);
      }
    }
  };
  return {
    countPending: async () => Number((await db.query<{ n: string }>(PENDING)).rows[0]!.n),
    async claim(turnId, limit, pick) {
      const work = await claimWork(db, { holder: node.id, turnId, limit, leaseTtlMs: node.leaseTtlMs });
      const kept = new Set(pick ? pick(work.events) : work.events.map((event) => event.id));
      const events = work.events.filter((event) => kept.has(event.id));
      const left = work.events.filter((event) => !kept.has(event.id)).map((event) => event.id);
      if (left.length) await db.query({ ...UNCLAIM_SOME, values: [turnId, left] });
      const partitions = new Set(events.map((event) => partitionLeaseName(event.partition)));
      const leases: AcquiredLease[] = [];
      for (const lease of work.leases) {
        if (partitions.has(lease.name)) leases.push(lease);
        else await releaseLease(db, lease.name, node.id, lease.token);
      }
      if (leases.length) afterCommit(() => node.leasesByTurn.set(turnId, leases));
      return events;
    },
    async unclaim(turnId) {
      const changed = (await db.query({ ...UNCLAIM_ALL, values: [turnId] })).rowCount ?? 0;
      await _letGo(turnId);
      return changed;
    },
    fence: _fence,
    async complete(turnId, at) {
      await _fence(turnId);
      const done = (await db.query({ ...COMPLETE, values: [at.toISOString(), turnId] })).rowCount ?? 0;
      await _letGo(turnId);
      return done;
    },
    async release(turnId, { blame = false, quarantineAfter } = {}) {
      if (blame) await db.query({ ...BLAME, values: [turnId] });
      const quarantined = blame && quarantineAfter ? (await db.query<Record<keyof ClaimedEventRow, string>>({ ...QUARANTINE, values: [turnId, quarantineAfter] })).rows.map(_toRow) : [];
      const released = (await db.query({ ...HAND_BACK, values: [turnId] })).rowCount ?? 0;
      await _letGo(turnId);
      return { released, quarantined };
    },
  };
}

function _toRow(row: Record<keyof ClaimedEventRow, string>): ClaimedEventRow {
  return { ...row, id: Number(row.id), urgent: Number(row.urgent), failures: Number(row.failures), trust: row.trust as ClaimedEventRow["trust"], previous_turn: row.previous_turn };
}
