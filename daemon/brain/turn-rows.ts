import type { VigilDatabase } from "../store/open-database.js";
import type { TurnOutcome } from "../store/store-records.js";

/** The `turns` table: a row when a turn starts, closed with its outcome when it ends. */
export interface TurnRows {
  start(id: string, reason: string, at: Date): void;
  close(id: string, at: Date, outcome: TurnOutcome): void;
  /** The turns among `ids` still open are closed as interrupted; returns how many. */
  interrupt(ids: readonly string[], at: Date): number;
}

export function createTurnRows(db: VigilDatabase): TurnRows {
  const start = db.prepare("INSERT INTO turns (id, reason, started_at) VALUES (?, ?, ?)");
  const close = db.prepare("UPDATE turns SET ended_at = ?, outcome = ? WHERE id = ?");
  const interrupt = db.prepare("UPDATE turns SET ended_at = ?, outcome = 'interrupted' WHERE ended_at IS NULL AND id IN (SELECT value FROM json_each(?))");
  return {
    start: (id, reason, at) => void start.run(id, reason, at.toISOString()),
    close: (id, at, outcome) => void close.run(at.toISOString(), outcome, id),
    interrupt: (ids, at) => interrupt.run(at.toISOString(), JSON.stringify(ids)).changes,
  };
}
