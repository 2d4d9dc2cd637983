import type { TurnOutcome } from "../store-records.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

/** The `turns` table on PostgreSQL, as daemon/brain/turn-rows.ts keeps it on SQLite. */
export interface PostgresTurnRows {
  start(id: string, reason: string, at: Date): Promise<void>;
  close(id: string, at: Date, outcome: TurnOutcome): Promise<void>;
  interrupt(ids: readonly string[], at: Date): Promise<number>;
}

const START = { name: "vigil_turns_start", text: "INSERT INTO vigil.turns (id, reason, started_at) VALUES ($1, $2, $3)" };
const CLOSE = { name: "vigil_turns_close", text: "UPDATE vigil.turns SET ended_at = $1, outcome = $2 WHERE id = $3" };
const INTERRUPT = { name: "vigil_turns_interrupt", text: "UPDATE vigil.turns SET ended_at = $1, outcome = 'interrupted' WHERE ended_at IS NULL AND id = ANY($2::text[])" };

export function createPostgresTurnRows(db: PostgresQueryable): PostgresTurnRows {
  return {
    start: async (id, reason, at) => void (await db.query({ ...START, values: [id, reason, at.toISOString()] })),
    close: async (id, at, outcome) => void (await db.query({ ...CLOSE, values: [at.toISOString(), outcome, id] })),
    interrupt: async (ids, at) => (ids.length ? ((await db.query({ ...INTERRUPT, values: [at.toISOString(), ids] })).rowCount ?? 0) : 0),
  };
}
