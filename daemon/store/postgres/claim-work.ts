import { acquireLeases, type AcquiredLease } from "./acquire-lease.js";
import { checkDurationMs } from "./check-duration-ms.js";
import type { PostgresQueryable } from "./postgres-queryable.js";
import { releaseLease } from "./release-lease.js";

export interface ClaimWorkOptions {
  /** The claiming node's id (registered): it holds the partitions' leases. */
  holder: string;
  /** The turn the events are claimed by (`claimed_by`), as the SQLite queue records it. */
  turnId: string;
  /** At most this many events (and partitions). */
  limit: number;
  /** How long the partitions' leases last unless renewed while the turn runs. */
  leaseTtlMs: number;
}

/** A claimed event as stored (the SQLite queue's EventRow, daemon/events/event-queue.ts, which this layer may not import), with its partition. */
export interface ClaimedEventRow {
  id: number;
  source: string;
  type: string;
  trust: "trusted" | "untrusted";
  urgent: number;
  summary: string;
  payload: string;
  received_at: string;
  previous_turn: string | null;
  failures: number;
  partition: string;
}

export interface ClaimedWork {
  /** Urgent first, then oldest first, as the SQLite queue returns a claim. */
  events: ClaimedEventRow[];
  /** The partitions' leases the events were claimed under: renew them while the turn runs, release them at its end. */
  leases: AcquiredLease[];
  /** Events a previous holder had claimed and abandoned (its lease expired), handed back and claimed again here in their order. */
  handedBack: number;
}

/** The lease that serializes one partition's turns across nodes. */
export function partitionLeaseName(partition: string): string {
  return `partition:${partition}`;
}

const PARTITION = "vigil.event_partition(e.source, e.payload)";

/**
 * One head event (the oldest pending) per partition this node may take, urgent first, each locked
 * FOR UPDATE SKIP LOCKED: a claimer running at the same moment skips the partitions whose head
 * is locked and picks others, instead of waiting or racing for the same ones. A partition is
 * closed while another node holds its lease live, or while this node holds it with a turn still
 * in it (events claimed): its turns run one at a time, in order. The heads are found by walking
 * the index of pending events from one partition to the next (one probe per partition, not a
 * pass over every pending event: 2 ms instead of 23 for 20,000 events in 200 partitions).
 */
const PICK = `WITH RECURSIVE head AS (
  (SELECT vigil.event_partition(source, payload) AS partition, id FROM vigil.events WHERE state = 'pending' ORDER BY 1, id LIMIT 1)
  UNION ALL
  SELECT next.partition, next.id FROM head, LATERAL (
    SELECT vigil.event_partition(source, payload) AS partition, id FROM vigil.events
     WHERE state = 'pending' AND vigil.event_partition(source, payload) > head.partition ORDER BY 1, id LIMIT 1) AS next)
SELECT head.partition FROM head JOIN vigil.events AS e ON e.id = head.id
 WHERE e.state = 'pending'
   AND NOT EXISTS (
     SELECT FROM vigil.leases AS l
      WHERE l.name = 'partition:' || head.partition AND l.holder IS NOT NULL AND l.expires_at > now()
        AND (l.holder <> $1 OR EXISTS (SELECT FROM vigil.events AS c WHERE c.state = 'claimed' AND vigil.event_partition(c.source, c.payload) = head.partition)))
 ORDER BY e.urgent DESC, e.id
 LIMIT $2
 FOR UPDATE OF e SKIP LOCKED`;

/**
 * Partitions whose claimed events nobody holds any more: their lease expired or was released with
 * events still claimed (a node that stopped or stalled mid-turn). With no pending event they have
 * no head for PICK to find, so they are looked for first, and taken over like any expired lease.
 */
const ABANDONED = `SELECT DISTINCT ${PARTITION} AS partition FROM vigil.events AS e
 WHERE e.state = 'claimed'
   AND NOT EXISTS (SELECT FROM vigil.leases AS l WHERE l.name = 'partition:' || ${PARTITION} AND l.holder IS NOT NULL AND l.expires_at > now())
 LIMIT $1`;

/** SQLite's hand-back (releaseAbandoned): pending again, the claiming turn kept among the previous ones. */
const HAND_BACK = `UPDATE vigil.events AS e SET state = 'pending',
       previous_turn = CASE WHEN previous_turn IS NULL THEN claimed_by ELSE previous_turn || ',' || claimed_by END, claimed_by = NULL
 WHERE e.state = 'claimed' AND ${PARTITION} = ANY($1::text[])`;

/**
 * The oldest pending events of the partitions now held, locked without waiting. MATERIALIZED: run
 * once. As the inner side of a join it could be scanned again, and a rescan skips the rows this
 * very UPDATE changed and returns the next ones, past the limit.
 */
const CLAIM = `WITH picked AS MATERIALIZED (
  SELECT id FROM vigil.events AS p WHERE p.state = 'pending' AND vigil.event_partition(p.source, p.payload) = ANY($2::text[]) ORDER BY p.urgent DESC, p.id LIMIT $3 FOR UPDATE SKIP LOCKED)
UPDATE vigil.events AS e SET state = 'claimed', claimed_by = $1 FROM picked
 WHERE e.id = picked.id AND e.state = 'pending'
RETURNING e.id, e.source, e.type, e.trust, e.urgent, e.summary, e.payload, e.received_at, e.previous_turn, e.failures, ${PARTITION} AS partition`;

/**
 * Claims up to `limit` pending events for `turnId`, from partitions whose lease this node holds or
 * can take (free or expired; never another node's live one): the multi-node form of the SQLite
 * queue's claim. Call it inside a transaction (the store's), so the leases, the hand-back and the
 * claim commit together; all times are the database's. Taking over a lease whose holder let it
 * expire hands that holder's claimed events back first, noting its turn in `previous_turn` as a
 * restart's recovery does, so they are handled again (and the ledger can tell what was done);
 * a partition whose events are all claimed under a lease nobody holds any more (no pending head
 * to find) is looked for first and taken over the same way.
 * Leases taken for partitions that got no event (the limit ran out) are released again.
 * Batch limits by size and folding (pickBatch) stay the caller's.
 */
export async function claimWork(tx: PostgresQueryable, { holder, turnId, limit, leaseTtlMs }: ClaimWorkOptions): Promise<ClaimedWork> {
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new RangeError(`claimWork's limit must be a positive whole number of events, not ${String(limit)}`);
  checkDurationMs(leaseTtlMs, "claimWork's leaseTtlMs");
  const partitionOf = (lease: AcquiredLease) => lease.name.slice("partition:".length);
  const handBack = async (leases: readonly AcquiredLease[]) => {
    const begun = leases.filter((lease) => lease.begun).map(partitionOf);
    return begun.length > 0 ? ((await tx.query(HAND_BACK, [begun])).rowCount ?? 0) : 0;
  };
  const abandoned = (await tx.query<{ partition: string }>(ABANDONED, [limit])).rows.map((row) => row.partition);
  const rescued = abandoned.length > 0 ? await acquireLeases(tx, abandoned.map(partitionLeaseName), holder, leaseTtlMs) : [];
  let handedBack = await handBack(rescued);
  const picked = (await tx.query<{ partition: string }>(PICK, [holder, limit])).rows.map((row) => row.partition);
  const held = await acquireLeases(tx, picked.map(partitionLeaseName), holder, leaseTtlMs);
  handedBack += await handBack(held);
  const rows = held.length > 0 ? (await tx.query<Record<keyof ClaimedEventRow, string>>(CLAIM, [turnId, held.map(partitionOf), limit])).rows : [];
  const events = rows.map(_toClaimedEventRow).sort((a, b) => b.urgent - a.urgent || a.id - b.id);
  const used = new Set(events.map((event) => event.partition));
  const leases: AcquiredLease[] = [];
  // A holding the rescue began is reported as begun, though the pick's acquire found it already this node's.
  const rescuedBegun = new Set(rescued.filter((lease) => lease.begun).map((lease) => lease.name));
  for (const lease of held) {
    if (used.has(partitionOf(lease))) leases.push(rescuedBegun.has(lease.name) ? { ...lease, begun: true } : lease);
    else await releaseLease(tx, lease.name, holder, lease.token);
  }
  // A partition rescued but not picked (the limit ran out) is pending again and free for any node.
  const kept = new Set(held.map((lease) => lease.name));
  for (const lease of rescued) if (!kept.has(lease.name)) await releaseLease(tx, lease.name, holder, lease.token);
  return { events, leases, handedBack };
}

function _toClaimedEventRow(row: Record<keyof ClaimedEventRow, string>): ClaimedEventRow {
  return {
    id: Number(row.id),
    source: row.source,
    type: row.type,
    trust: row.trust as ClaimedEventRow["trust"],
    urgent: Number(row.urgent),
    summary: row.summary,
    payload: row.payload,
    received_at: row.received_at,
    previous_turn: row.previous_turn,
    failures: Number(row.failures),
    partition: row.partition,
  };
}
