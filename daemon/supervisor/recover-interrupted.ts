import { outcomeUnknownRow } from "../events/claim-batch.js";
import type { Runtime } from "./assemble-runtime.js";

/**
 * At start, before any tick: a turn the last process never finished is closed as interrupted,
 * its events go back to pending, and any action it started without recording an outcome is
 * journaled as "outcome unknown" (and, through the ledger, never silently run again).
 */
export function recoverInterrupted({ turn }: Runtime): void {
  const now = turn.now();
  turn.db
    .transaction(() => {
      const turns = turn.db.prepare("UPDATE turns SET ended_at = ?, outcome = 'interrupted' WHERE ended_at IS NULL").run(now.toISOString()).changes;
      for (const action of turn.toolDeps.ledger.markInterrupted(now)) turn.journal.append(outcomeUnknownRow(action));
      const released = turn.events.releaseAbandoned();
      if (turns || released) {
        turn.journal.append({ kind: "system", summary: `recovered ${turns} interrupted turn(s); ${released} event(s) pending again`, data: { event: "recovered", turns, released } });
      }
    })
    .immediate();
}
