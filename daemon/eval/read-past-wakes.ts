import { toJournalEntry, type JournalEntry, type JournalRow } from "../../logs/journal-entry.js";
import { queryEntries } from "../../logs/query-entries.js";
import { toQueuedEvent, type EventRow, type QueuedEvent } from "../events/event-queue.js";
import type { VigilDatabase } from "../store/open-database.js";

/** What the turn's prompt had in front of it: the journal before it (the turn's own window). */
const RECENT_JOURNAL_ROWS = 12;

/** A wake as it happened, rebuilt from the journal, the queue's done events and the transcript. */
export interface PastWake {
  turnId: string;
  startedAt: string;
  reason: string;
  decided: "act" | "quiet";
  /** The acting tools the turn's decision row lists. */
  actions: string[];
  /** Every tool the transcript shows it called, in order (empty when triage said no). */
  tools: string[];
  summary: string;
  events: QueuedEvent[];
  recentJournal: JournalEntry[];
}

/** Every wake of `day` that came to a decision (quiet or acted), oldest first. */
export function readPastWakes(db: VigilDatabase, day: string): PastWake[] {
  const decisions = queryEntries(db, { day }).filter((entry) => (entry.kind === "quiet" || entry.kind === "decided") && typeof entry.data.turnId === "string" && "reason" in entry.data);
  const turn = db.prepare<[string], { reason: string; started_at: string }>("SELECT reason, started_at FROM turns WHERE id = ?");
  const events = db.prepare<[string], EventRow>("SELECT * FROM events WHERE claimed_by = ? ORDER BY id");
  const transcript = db.prepare<[string], { body: string }>("SELECT body FROM transcripts WHERE turn_id = ?");
  const before = db.prepare<[string, number], JournalRow>("SELECT * FROM journal WHERE ts <= ? ORDER BY seq DESC LIMIT ?");
  return decisions.flatMap((entry): PastWake[] => {
    const turnId = entry.data.turnId as string;
    const row = turn.get(turnId);
    if (!row) return [];
    return [
      {
        turnId,
        startedAt: row.started_at,
        reason: row.reason,
        decided: entry.kind === "quiet" ? "quiet" : "act",
        actions: Array.isArray(entry.data.actions) ? (entry.data.actions as string[]) : [],
        tools: _toolsOf(transcript.get(turnId)?.body ?? ""),
        summary: entry.summary,
        events: events.all(turnId).map(toQueuedEvent),
        recentJournal: before.all(row.started_at, RECENT_JOURNAL_ROWS).reverse().map(toJournalEntry),
      },
    ];
  });
}

/** Transcript lines of tool calls look like `assistant: → notify {...}`. */
function _toolsOf(body: string): string[] {
  return [...body.matchAll(/^assistant: → (\S+) /gm)].map((match) => match[1]!);
}
