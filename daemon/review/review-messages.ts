import type { VigilDatabase } from "../store/open-database.js";
import type { JournalEntry } from "../../logs/journal-entry.js";

/** How a turn ended and why: the closing summary (or the quiet reason) and what woke it. */
export interface ReviewDecision {
  ts: string;
  kind: "quiet" | "decided";
  summary: string;
  wake: string;
  actions: string[];
}

/** A message you sent (`vigil tell`), and what came of it. */
export interface ReviewMessage {
  ts: string;
  text: string;
  /** acted: a turn did something; quiet: looked at, nothing done; unhandled: no model could read it; pending: not looked at yet. */
  status: "acted" | "quiet" | "unhandled" | "pending";
  outcome: string;
}

export function listDecisions(entries: readonly JournalEntry[]): ReviewDecision[] {
  return entries
    .filter((entry): entry is JournalEntry & { kind: "quiet" | "decided" } => (entry.kind === "quiet" || entry.kind === "decided") && "reason" in entry.data)
    .map((entry) => ({ ts: entry.ts, kind: entry.kind, summary: entry.summary, wake: String(entry.data.reason), actions: (entry.data.actions as string[] | undefined) ?? [] }));
}

/**
 * Each user message of these entries, matched through the queue (the event's turn) to that turn's
 * decision. The rules provider reads no free text: a message it only "left for review" is flagged.
 */
export function listUserMessages(db: VigilDatabase, entries: readonly JournalEntry[]): ReviewMessage[] {
  const eventTurn = db.prepare<[number], { state: string; turn: string | null }>("SELECT state, claimed_by AS turn FROM events WHERE id = ?");
  const decisionOf = db.prepare<[string], { kind: string; summary: string; data: string }>(
    "SELECT kind, summary, data FROM journal WHERE kind IN ('decided', 'quiet') AND json_extract(data, '$.turnId') = ? ORDER BY seq DESC LIMIT 1",
  );
  return entries
    .filter((entry) => entry.kind === "noticed" && entry.data.source === "user" && typeof entry.data.eventId === "number")
    .map((entry) => {
      const text = entry.summary.replace(/^user\/\w+: /, "");
      const event = eventTurn.get(entry.data.eventId as number);
      const decision = event?.state === "done" && event.turn ? decisionOf.get(event.turn) : undefined;
      if (!decision) return { ts: entry.ts, text, status: "pending", outcome: "not looked at yet" };
      const rules = (JSON.parse(decision.data) as { provider?: string }).provider === "rules";
      if (rules && decision.kind === "quiet") {
        return { ts: entry.ts, text, status: "unhandled", outcome: "NOT handled: the rules provider cannot act on a message (set ANTHROPIC_API_KEY, or add a rule)" };
      }
      return decision.kind === "quiet"
        ? { ts: entry.ts, text, status: "quiet", outcome: `looked at, nothing done: ${decision.summary}` }
        : { ts: entry.ts, text, status: "acted", outcome: `handled: ${decision.summary}` };
    });
}
