import { clipText } from "../../logs/clip-text.js";
import type { JournalInput } from "../../logs/journal-entry.js";
import type { JournalKind } from "../../logs/journal-kinds.js";
import { localDay } from "../../logs/local-day.js";
import type { StoreTx } from "../context/store-tx.js";
import type { QueuedEvent } from "../events/event-queue.js";
import type { VigilStore } from "../store/vigil-store.js";
import { usageOf, type ModelReply } from "./model-client.js";
import { addUsage, NO_USAGE, type TokenUsage } from "./usage-ledger.js";

type DecisionKind = Extract<JournalKind, "quiet" | "decided">;

/**
 * The bookkeeping of one turn on the store port (either engine): its row in `turns`, its token
 * usage, and how it ends, each step a store transaction. On PostgreSQL `finish` is fenced by the
 * queue (its partition leases are renewed first): a turn that lost them throws LeaseLostError and
 * records nothing.
 */
export interface TurnRecord {
  id: string;
  usage: TokenUsage;
  /** Adds a reply's usage to the turn and to the day's usage table. */
  countUsage(model: string, reply: ModelReply): Promise<void>;
  /** The decision row, the events marked done and the turn closed: one transaction. */
  finish(kind: DecisionKind, summary: string, data: Record<string, unknown>): Promise<void>;
  /**
   * The turn could not finish: its events go back to the queue for a later turn, except those
   * that failed `quarantineAfter` turns in a row (with blame), which are set aside and journaled.
   * Resolves to how many were set aside.
   */
  fail(options?: FailOptions): Promise<number>;
}

export interface FailOptions {
  blame?: boolean;
  quarantineAfter?: number;
  error?: Error;
}

export async function startTurnRecordIn(store: VigilStore<StoreTx>, deps: { timeZone: string; now: () => Date }, id: string, reason: string): Promise<TurnRecord> {
  await store.transaction((tx) => tx.turns.start(id, reason, deps.now()));
  const record: TurnRecord = {
    id,
    usage: NO_USAGE,
    async countUsage(model, reply) {
      const usage = usageOf(reply);
      record.usage = addUsage(record.usage, usage);
      await store.transaction((tx) => tx.usage.record(localDay(deps.now(), deps.timeZone), model, usage));
    },
    finish: (kind, summary, data) =>
      store.transaction(async (tx) => {
        const consumed = await tx.queue.complete(id, deps.now());
        await tx.journal.append(_decisionRow({ id, reason, usage: record.usage }, kind, summary, data, consumed));
        await tx.turns.close(id, deps.now(), _outcome(kind));
      }),
    fail: ({ blame = false, quarantineAfter, error } = {}) =>
      store.transaction(async (tx) => {
        const { quarantined } = await tx.queue.release(id, { blame, ...(quarantineAfter ? { quarantineAfter } : {}) });
        if (quarantined.length) await tx.journal.appendMany(quarantined.map((event) => _quarantineRow(event, id, error)));
        await tx.turns.close(id, deps.now(), "failed");
        return quarantined.length;
      }),
  };
  return record;
}

const _outcome = (kind: DecisionKind) => (kind === "quiet" ? "quiet" : "acted");

function _decisionRow(turn: { id: string; reason: string; usage: TokenUsage }, kind: DecisionKind, summary: string, data: Record<string, unknown>, consumed: number): JournalInput {
  return { kind, summary, data: { turnId: turn.id, reason: turn.reason, events: consumed, usage: turn.usage, ...data } };
}

function _quarantineRow(event: QueuedEvent, turnId: string, error: Error | undefined): JournalInput {
  return {
    kind: "error",
    summary: `event #${event.id} quarantined after ${event.failures} failed turns in a row: ${event.source}/${event.type}: ${clipText(event.summary, 200)}`,
    data: { event: "event-quarantined", eventId: event.id, source: event.source, type: event.type, failures: event.failures, turnId, error: clipText(error?.message ?? "", 500) },
  };
}
