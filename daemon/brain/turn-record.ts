import { clipText } from "../../logs/clip-text.js";
import type { JournalKind } from "../../logs/journal-kinds.js";
import { localDay } from "../../logs/local-day.js";
import type { TurnDeps } from "./turn-deps.js";
import { usageOf, type ModelReply } from "./model-client.js";
import { addUsage, NO_USAGE, type TokenUsage } from "./usage-ledger.js";

/** The bookkeeping of one turn: its row in `turns`, its token usage, and how it ends. */
export interface TurnRecord {
  id: string;
  usage: TokenUsage;
  /** Adds a reply's usage to the turn and to the day's usage table. */
  countUsage(model: string, reply: ModelReply): void;
  /** The decision row, the events marked done and the turn closed: one transaction. */
  finish(kind: Extract<JournalKind, "quiet" | "decided">, summary: string, data: Record<string, unknown>): void;
  /**
   * The turn could not finish: its events go back to the queue for a later turn, except those
   * that failed `quarantineAfter` turns in a row (with blame), which are set aside and journaled.
   * Returns how many were set aside.
   */
  fail(options?: { blame?: boolean; quarantineAfter?: number; error?: Error }): number;
}

export function startTurnRecord(deps: Pick<TurnDeps, "db" | "journal" | "events" | "usage" | "timeZone" | "now">, id: string, reason: string): TurnRecord {
  deps.db.prepare("INSERT INTO turns (id, reason, started_at) VALUES (?, ?, ?)").run(id, reason, deps.now().toISOString());
  const close = deps.db.prepare("UPDATE turns SET ended_at = ?, outcome = ? WHERE id = ?");
  const record: TurnRecord = {
    id,
    usage: NO_USAGE,
    countUsage(model, reply) {
      const usage = usageOf(reply);
      record.usage = addUsage(record.usage, usage);
      deps.usage.record(localDay(deps.now(), deps.timeZone), model, usage);
    },
    finish(kind, summary, data) {
      deps.db
        .transaction(() => {
          const consumed = deps.events.complete(id, deps.now());
          deps.journal.append({ kind, summary, data: { turnId: id, reason, events: consumed, usage: record.usage, ...data } });
          close.run(deps.now().toISOString(), kind === "quiet" ? "quiet" : "acted", id);
        })
        .immediate();
    },
    fail({ blame = false, quarantineAfter, error } = {}) {
      return deps.db
        .transaction(() => {
          const { quarantined } = deps.events.release(id, { blame, ...(quarantineAfter ? { quarantineAfter } : {}) });
          for (const event of quarantined) {
            deps.journal.append({
              kind: "error",
              summary: `event #${event.id} quarantined after ${event.failures} failed turns in a row: ${event.source}/${event.type}: ${clipText(event.summary, 200)}`,
              data: { event: "event-quarantined", eventId: event.id, source: event.source, type: event.type, failures: event.failures, turnId: id, error: clipText(error?.message ?? "", 500) },
            });
          }
          close.run(deps.now().toISOString(), "failed", id);
          return quarantined.length;
        })
        .immediate();
    },
  };
  return record;
}
