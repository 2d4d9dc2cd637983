import { createHash } from "node:crypto";
import { canonicalJson } from "../../logs/canonical-json.js";
import type { VigilDatabase } from "../store/open-database.js";
import type { ActionRow, NewActionRow } from "../store/store-records.js";

export type ActionRecord = ActionRow;

/**
 * The ledger that keeps side effects from running twice. Its key is the turn id plus the model's
 * tool-use id; an action is written as `started` before it runs and finished after, so a crash in
 * between leaves a `started` row that recovery turns into "outcome unknown" rather than a rerun.
 */
export interface ActionLedger {
  start(turnId: string, toolUseId: string, tool: string, input: unknown, now: Date): string;
  finish(id: string, state: "done" | "failed", outcome: string, now: Date): void;
  /** The same call (tool and input) already done, of unknown outcome, or started and never finished, in one of `turnIds`. */
  findRepeat(turnIds: readonly string[], tool: string, input: unknown): ActionRecord | undefined;
  /** Marks every `started` action `unknown` and returns them (run once at daemon start). */
  markInterrupted(now: Date): ActionRecord[];
}

/** The ledger's rows on SQLite, in the store port's shape (daemon/context/store-tx.ts); PostgreSQL's are create-postgres-action-ledger.ts. */
export interface ActionRows {
  start(row: NewActionRow): void;
  finish(id: string, state: "done" | "failed", outcome: string, at: Date): void;
  findRepeat(turnIds: readonly string[], tool: string, inputHash: string): ActionRow | undefined;
  /** The `started` actions of `turnIds` (all of them when omitted: the one daemon's start) become `unknown`. */
  markInterrupted(turnIds: readonly string[] | undefined, at: Date): ActionRow[];
}

export function actionInputHash(tool: string, input: unknown): string {
  return createHash("sha256").update(`${tool}\n${canonicalJson(input)}`).digest("hex");
}

/** What the ledger stores of a call: its id, and its input as canonical JSON with that text's hash. */
export function newActionRow(turnId: string, toolUseId: string, tool: string, input: unknown, at: Date): NewActionRow {
  return { id: `${turnId}:${toolUseId}`, turnId, tool, inputHash: actionInputHash(tool, input), input: canonicalJson(input), at };
}

export function createActionRows(db: VigilDatabase): ActionRows {
  const insert = db.prepare("INSERT INTO actions (id, turn_id, tool, input_hash, input, state, started_at) VALUES (?, ?, ?, ?, ?, 'started', ?)");
  const update = db.prepare("UPDATE actions SET state = ?, outcome = ?, finished_at = ? WHERE id = ?");
  const columns = "id, turn_id AS turnId, tool, state, outcome, input";
  const started = db.prepare<[], ActionRow>(`SELECT ${columns} FROM actions WHERE state = 'started'`);
  const startedOf = db.prepare<[string], ActionRow>(`SELECT ${columns} FROM actions WHERE state = 'started' AND turn_id IN (SELECT value FROM json_each(?))`);
  const repeat = db.prepare<[string, string, string], ActionRow>(
    `SELECT ${columns} FROM actions WHERE tool = ? AND input_hash = ? AND state IN ('done', 'unknown', 'started') AND turn_id IN (SELECT value FROM json_each(?)) LIMIT 1`,
  );
  return {
    start: ({ id, turnId, tool, inputHash, input, at }) => void insert.run(id, turnId, tool, inputHash, input, at.toISOString()),
    finish: (id, state, outcome, at) => void update.run(state, outcome, at.toISOString(), id),
    findRepeat: (turnIds, tool, inputHash) => (turnIds.length ? repeat.get(tool, inputHash, JSON.stringify(turnIds)) : undefined),
    markInterrupted(turnIds, at) {
      const rows = turnIds ? startedOf.all(JSON.stringify(turnIds)) : started.all();
      for (const row of rows) update.run("unknown", "interrupted before its outcome was recorded", at.toISOString(), row.id);
      return rows.map((row) => ({ ...row, state: "unknown" as const, outcome: "interrupted before its outcome was recorded" }));
    },
  };
}

export function createActionLedger(db: VigilDatabase): ActionLedger {
  const rows = createActionRows(db);
  return {
    start(turnId, toolUseId, tool, input, now) {
      const row = newActionRow(turnId, toolUseId, tool, input, now);
      rows.start(row);
      return row.id;
    },
    finish: rows.finish,
    findRepeat: (turnIds, tool, input) => rows.findRepeat(turnIds, tool, actionInputHash(tool, input)),
    markInterrupted: (now) => rows.markInterrupted(undefined, now),
  };
}
