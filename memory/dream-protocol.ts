import type { TokenUsage } from "../daemon/brain/usage-ledger.js";

/** What the parent sends the dream worker: where the staging copy is and what to dream about. */
export interface DreamTask {
  stagingDir: string;
  dbFile: string;
  model: string;
  maxTokens: number;
  maxSteps: number;
  /** The user's local date and time, so relative dates can be made absolute. */
  localNow: string;
  /** Journal rows since the last dream, oldest first, one line each. */
  recentJournal: string[];
}

export type WorkerMessage =
  | { type: "usage"; model: string; usage: TokenUsage }
  | { type: "done"; summary: string; steps: number }
  | { type: "failed"; error: string };
