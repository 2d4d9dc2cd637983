import { createHash } from "node:crypto";
import { canonicalJson } from "../../logs/canonical-json.js";
import type { VigilDatabase } from "../store/open-database.js";

export interface ActionRecord {
  id: string;
  turnId: string;
  tool: string;
  state: "started" | "done" | "failed" | "unknown";
  outcome: string | null;
  input: string;
}

/**
 * The ledger that keeps side effects from running twice. Its key is the turn id plus the model's
 * tool-use id; an action is written as `started` before it runs and finished after, so a crash in
 * between leaves a `started` row that recovery turns into "outcome unknown" rather than a rerun.
 */
export interface ActionLedger {
  start(turnId: string, toolUseId: string, tool: string, input: unknown, now: Date): string;
  finish(id: string, state: "done" | "failed", outcome: string, now: Date): void;
  /** The same call (tool and input) already done, or of unknown outcome, in one of `turnIds`. */
  findRepeat(turnIds: readonly string[], tool: string, input: unknown): ActionRecord | undefined;
  /** Marks every `started` action `unknown` and returns them (run once at daemon start). */
  markInterrupted(now: Date): ActionRecord[];
}

export function actionInputHash(tool: string, input: unknown): string {
  return createHash("sha256").update(`${tool}\n${canonicalJson(input)}`).digest("hex");
}

export function createActionLedger(db: VigilDatabase): ActionLedger {
  const insert = db.prepare("INSERT INTO actions (id, turn_id, tool, input_hash, input, state, started_at) VALUES (?, ?, ?, ?, ?, 'started', ?)");
  const update = db.prepare("UPDATE actions SET state = ?, outcome = ?, finished_at = ? WHERE id = ?");
  const columns = "id, turn_id AS turnId, tool, state, outcome, input";
  const started = db.prepare<[], ActionRecord>(`SELECT ${columns} FROM actions WHERE state = 'started'`);
  return {
    start(turnId, toolUseId, tool, input, now) {
      const id = `${turnId}:${toolUseId}`;
      insert.run(id, turnId, tool, actionInputHash(tool, input), canonicalJson(input), now.toISOString());
      return id;
    },
    finish: (id, state, outcome, now) => void update.run(state, outcome, now.toISOString(), id),
    findRepeat(turnIds, tool, input) {
      if (turnIds.length === 0) return undefined;
      const marks = turnIds.map(() => "?").join(", ");
      return db
        .prepare<unknown[], ActionRecord>(`SELECT ${columns} FROM actions WHERE tool = ? AND input_hash = ? AND state IN ('done', 'unknown') AND turn_id IN (${marks}) LIMIT 1`)
        .get(tool, actionInputHash(tool, input), ...turnIds);
    },
    markInterrupted(now) {
      const rows = started.all();
      for (const row of rows) update.run("unknown", "interrupted before its outcome was recorded", now.toISOString(), row.id);
      return rows;
    },
  };
}
