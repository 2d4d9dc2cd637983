import type { PostgresQueryable } from "./postgres-queryable.js";

/** The channel nodes are woken on when work arrives. */
export const WORK_CHANNEL = "vigil_work";

/** PostgreSQL's limit on a notification's payload (bytes, in the default configuration). */
const PAYLOAD_LIMIT = 8000;

/**
 * Tells the listening nodes there is work (the payload, e.g. the event's partition, is a hint).
 * Call it in the transaction that inserts the work: PostgreSQL delivers a notification only when
 * that transaction commits, and never for one rolled back, so no node wakes to work that is not
 * there. Identical notifications of one transaction are delivered once.
 */
export async function notifyWork(q: PostgresQueryable, payload = "", channel = WORK_CHANNEL): Promise<void> {
  if (Buffer.byteLength(payload) >= PAYLOAD_LIMIT) throw new RangeError(`a wake's payload must be under ${PAYLOAD_LIMIT} bytes (it is a hint, e.g. a partition; the work itself goes in the store)`);
  await q.query("SELECT pg_notify($1, $2)", [channel, payload]);
}
