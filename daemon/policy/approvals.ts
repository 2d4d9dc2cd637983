import { canonicalJson } from "../../logs/canonical-json.js";
import type { VigilDatabase } from "../store/open-database.js";
import type { ApprovalRow } from "../store/store-records.js";

/** A tool call waiting for the user, as the store keeps it on either engine. */
export type Approval = ApprovalRow;

const COLUMNS = "id, turn_id AS turnId, tool_use_id AS toolUseId, tool, input, reason, state, created_at AS createdAt, expires_at AS expiresAt, outcome";
export const APPROVAL_TTL_MS = 24 * 60 * 60_000;

/** Tool calls waiting for the user (`vigil approvals`, `approve ID`, `deny ID`). */
export interface ApprovalQueue {
  request(call: { turnId: string; toolUseId: string; tool: string; input: unknown; reason: string }, now: Date): number;
  pending(now: Date): Approval[];
  get(id: number): Approval | undefined;
  /** pending → approved|denied, once; false when it was not pending (decided, expired, unknown). */
  decide(id: number, decision: "approved" | "denied", now: Date): boolean;
  finish(id: number, state: "done" | "failed", outcome: string): void;
  /** Pending approvals past their time become `expired`; returns them. */
  expire(now: Date): Approval[];
}

export function createApprovalQueue(db: VigilDatabase): ApprovalQueue {
  const insert = db.prepare("INSERT INTO approvals (turn_id, tool_use_id, tool, input, reason, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const byId = db.prepare<[number], Approval>(`SELECT ${COLUMNS} FROM approvals WHERE id = ?`);
  const pending = db.prepare<[], Approval>(`SELECT ${COLUMNS} FROM approvals WHERE state = 'pending' ORDER BY id`);
  const stale = db.prepare<[string], Approval>(`SELECT ${COLUMNS} FROM approvals WHERE state = 'pending' AND expires_at <= ? ORDER BY id`);
  const decide = db.prepare("UPDATE approvals SET state = ?, decided_at = ? WHERE id = ? AND state = 'pending' AND expires_at > ?");
  const finish = db.prepare("UPDATE approvals SET state = ?, outcome = ? WHERE id = ?");
  const expire = db.prepare("UPDATE approvals SET state = 'expired', decided_at = ? WHERE state = 'pending' AND expires_at <= ?");
  const queue: ApprovalQueue = {
    request: (call, now) =>
      Number(insert.run(call.turnId, call.toolUseId, call.tool, canonicalJson(call.input), call.reason, now.toISOString(), new Date(now.getTime() + APPROVAL_TTL_MS).toISOString()).lastInsertRowid),
    pending: (now) => (queue.expire(now), pending.all()),
    get: (id) => byId.get(id),
    decide: (id, decision, now) => decide.run(decision, now.toISOString(), id, now.toISOString()).changes === 1,
    finish: (id, state, outcome) => void finish.run(state, outcome, id),
    expire(now) {
      const rows = stale.all(now.toISOString());
      expire.run(now.toISOString(), now.toISOString());
      return rows;
    },
  };
  return queue;
}
