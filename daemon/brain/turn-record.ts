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
  /** The turn could not finish: its events go back to the queue for a later turn. */
  fail(): void;
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
    fail() {
      deps.db
        .transaction(() => {
          deps.events.release(id);
          close.run(deps.now().toISOString(), "failed", id);
        })
        .immediate();
    },
  };
  return record;
}
