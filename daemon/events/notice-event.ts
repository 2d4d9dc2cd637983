import type { Journal } from "../../logs/journal.js";
import type { JournalInput } from "../../logs/journal-entry.js";
import type { IntakeTx } from "../context/intake-tx.js";
import type { VigilDatabase } from "../store/open-database.js";
import { runInTransaction } from "../store/run-in-transaction.js";
import type { VigilStore } from "../store/vigil-store.js";
import type { EnqueueResult, EventQueue, NewEvent } from "./event-queue.js";

/**
 * How every source takes in an event: queued and journaled as `noticed` in one transaction, so
 * the journal never claims an event the queue lost, nor the reverse. A duplicate is neither.
 */
export function noticeEvent(deps: { db: VigilDatabase; events: EventQueue; journal: Journal }, event: NewEvent): EnqueueResult {
  return runInTransaction(deps.db, () => {
    const queued = deps.events.enqueue(event);
    if (queued.inserted) deps.journal.append(_noticedRow(event, queued.id));
    return queued;
  });
}

/** noticeEvent on the store port (either engine), inside the caller's transaction. */
export async function noticeEventIn(tx: Pick<IntakeTx, "queue" | "journal">, event: NewEvent): Promise<EnqueueResult> {
  const queued = await tx.queue.enqueue(event);
  if (queued.inserted) await tx.journal.append(_noticedRow(event, queued.id));
  return queued;
}

/** noticeEventIn in a transaction of its own: how a source on the store port takes in one event. */
export function noticeEventOn(store: VigilStore<IntakeTx>, event: NewEvent): Promise<EnqueueResult> {
  return store.transaction((tx) => noticeEventIn(tx, event));
}

function _noticedRow(event: NewEvent, eventId: number): JournalInput {
  return {
    kind: "noticed",
    summary: `${event.source}/${event.type}: ${event.summary}`,
    data: { eventId, source: event.source, type: event.type, trust: event.trust, urgent: event.urgent ?? false },
  };
}
