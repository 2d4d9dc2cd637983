import type { ActionRow, NewActionRow } from "../store-records.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

/** The action ledger's rows on PostgreSQL (daemon/tools/action-ledger.ts keeps them on SQLite). */
export interface PostgresActionRows {
  start(row: NewActionRow): Promise<void>;
  finish(id: string, state: "done" | "failed", outcome: string, at: Date): Promise<void>;
  /** The same call already made in one of `turnIds`: done, of unknown outcome, or started and never finished. */
  findRepeat(turnIds: readonly string[], tool: string, inputHash: string): Promise<ActionRow | undefined>;
  /** Every action of `turnIds` still `started` becomes `unknown`, and is returned. */
  markInterrupted(turnIds: readonly string[], at: Date): Promise<ActionRow[]>;
}

const COLUMNS = `id, turn_id AS "turnId", tool, state, outcome, input`;
const START = { name: "vigil_actions_start", text: "INSERT INTO vigil.actions (id, turn_id, tool, input_hash, input, state, started_at) VALUES ($1, $2, $3, $4, $5, 'started', $6)" };
const FINISH = { name: "vigil_actions_finish", text: "UPDATE vigil.actions SET state = $1, outcome = $2, finished_at = $3 WHERE id = $4" };
const REPEAT = {
  name: "vigil_actions_repeat",
  text: `SELECT ${COLUMNS} FROM vigil.actions WHERE tool = $1 AND input_hash = $2 AND state IN ('done', 'unknown', 'started') AND turn_id = ANY($3::text[]) LIMIT 1`,
};
const INTERRUPTED = {
  name: "vigil_actions_interrupted",
  text: `UPDATE vigil.actions SET state = 'unknown', outcome = 'interrupted before its outcome was recorded', finished_at = $1 WHERE state = 'started' AND turn_id = ANY($2::text[]) RETURNING ${COLUMNS}`,
};

/**
 * On a shared store interrupted actions are named by turn: "every started action" would include
 * the ones a live node is running right now. The turns are those whose events were handed back
 * (their claims' previous turns). A repeat check counts a started action of an earlier turn as a
 * repeat even before it is marked: it began, and nobody knows how it ended.
 */
export function createPostgresActionRows(db: PostgresQueryable): PostgresActionRows {
  return {
    start: async ({ id, turnId, tool, inputHash, input, at }) => void (await db.query({ ...START, values: [id, turnId, tool, inputHash, input, at.toISOString()] })),
    finish: async (id, state, outcome, at) => void (await db.query({ ...FINISH, values: [state, outcome, at.toISOString(), id] })),
    findRepeat: async (turnIds, tool, inputHash) => (turnIds.length ? (await db.query<ActionRow>({ ...REPEAT, values: [tool, inputHash, turnIds] })).rows[0] : undefined),
    markInterrupted: async (turnIds, at) => (turnIds.length ? (await db.query<ActionRow>({ ...INTERRUPTED, values: [at.toISOString(), turnIds] })).rows : []),
  };
}
