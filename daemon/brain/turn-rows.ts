import type { VigilDatabase } from "../store/open-database.js";
import type { TurnOutcome } from "../store/store-records.js";

/** The `turns` table: a row when a turn starts, closed with its outcome when it ends. */
export interface TurnRows {
  start(id: string, reason: string, at: Date): void;
  close(id: string, at: Date, outcome: TurnOutcome): void;
}

export function createTurnRows(db: VigilDatabase): TurnRows {
  const start = db.prepare("INSERT INTO turns (id, reason, started_at) VALUES (?, ?, ?)");
  const close = db.prepare("UPDATE turns SET ended_at = ?, outcome = ? WHERE id = ?");
  return {
    start: (id, reason, at) => void start.run(id, reason, at.toISOString()),
    close: (id, at, outcome) => void close.run(at.toISOString(), outcome, id),
  };
}
