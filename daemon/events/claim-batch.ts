import type { JournalInput } from "../../logs/journal-entry.js";
import type { StoreTx } from "../context/store-tx.js";
import type { ActionRow } from "../store/store-records.js";
import type { BatchLimits, QueuedEvent } from "./event-queue.js";

/**
 * A turn's claim on the store port, with the recovery of the turns that held its events before.
 * Every earlier turn of a claimed event is over (it failed, or its process stopped or stalled
 * past its lease): any turn row of them still open is closed as interrupted, and any action they
 * started without an outcome becomes "outcome unknown", journaled, in the claim's transaction.
 * One daemon on SQLite does this once at start (daemon/supervisor/recover-interrupted.ts); on a
 * shared store no node may sweep the others' turns, so it happens here, when the work moves.
 */
export async function claimBatchIn(tx: StoreTx, turnId: string, limits: BatchLimits | undefined, now: Date): Promise<QueuedEvent[]> {
  const events = await tx.queue.claim(turnId, limits);
  const earlier = [...new Set(events.flatMap((event) => event.previousTurns))];
  if (earlier.length === 0) return events;
  await tx.turns.interrupt(earlier, now);
  const unknown = await tx.actions.markInterrupted(earlier, now);
  if (unknown.length) await tx.journal.appendMany(unknown.map(outcomeUnknownRow));
  return events;
}

/** The journal row of an action whose turn ended before its outcome was recorded: it is never run again. */
export function outcomeUnknownRow(action: ActionRow): JournalInput {
  return {
    kind: "error",
    summary: `outcome unknown: ${action.tool} in interrupted turn ${action.turnId}; it will not be run again`,
    data: { actionId: action.id, turnId: action.turnId, tool: action.tool, input: JSON.parse(action.input), outcome: "unknown" },
  };
}
