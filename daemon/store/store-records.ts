/**
 * Shapes of rows the store's domains read and write, named here so that both engines' adapters
 * and the port (daemon/context/store-tx.ts) share them without importing the features that own
 * the tables (the brain's TokenUsage and TurnOutcome are the same shapes).
 */

/** How a turn ended, as the `turns` table keeps it. */
export type TurnOutcome = "quiet" | "acted" | "failed" | "interrupted";

/** Token counts of one or more model calls, as the `usage` table adds them up. */
export interface TokenCounts {
  calls: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** A row of the action ledger, as both engines return it. */
export interface ActionRow {
  id: string;
  turnId: string;
  tool: string;
  state: "started" | "done" | "failed" | "unknown";
  outcome: string | null;
  input: string;
}

/** What starts an action's row: its id (turn id and tool-use id), the tool, and its input as canonical JSON with that text's hash. */
export interface NewActionRow {
  id: string;
  turnId: string;
  tool: string;
  inputHash: string;
  input: string;
  at: Date;
}

/** A tool call waiting for the user's approval, as both engines return it (daemon/policy/approvals.ts). */
export interface ApprovalRow {
  id: number;
  turnId: string;
  toolUseId: string;
  tool: string;
  input: string;
  reason: string;
  state: string;
  createdAt: string;
  expiresAt: string;
  outcome: string | null;
}

/** A past turn's transcript, rendered as text (memory/transcripts.ts): what `memory_search` finds later. */
export interface TranscriptRow {
  turnId: string;
  ts: string;
  day: string;
  body: string;
}

/** A row of `wakeups` as both engines read it (daemon/events/wakeups.ts decides what is due). */
export interface WakeupRow {
  id: number;
  /** After downtime or sleep: fire the latest missed slot once, or skip to the next one. */
  missed: "run-once" | "skip";
  kind: "once" | "cron";
  at: string | null;
  cron: string | null;
  note: string;
  origin: "agent" | "config";
  checkedThrough: string | null;
}

/** A wake-up to add: `checkedThrough` is where a cron one starts looking (its creation's minute). */
export type NewWakeupRow = Omit<WakeupRow, "id"> & { createdAt: string };
