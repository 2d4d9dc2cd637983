import { canonicalJson } from "../../../logs/canonical-json.js";
import type { ApprovalRow } from "../store-records.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

/** daemon/policy/approvals.ts's ApprovalQueue on PostgreSQL, asynchronous. */
export interface PostgresApprovals {
  request(call: { turnId: string; toolUseId: string; tool: string; input: unknown; reason: string }, now: Date): Promise<number>;
  pending(now: Date): Promise<ApprovalRow[]>;
  get(id: number): Promise<ApprovalRow | undefined>;
  /** pending → approved|denied, once, whichever node hears first (the row's lock decides); false when it was not pending. */
  decide(id: number, decision: "approved" | "denied", now: Date): Promise<boolean>;
  finish(id: number, state: "done" | "failed", outcome: string): Promise<void>;
  expire(now: Date): Promise<ApprovalRow[]>;
}

/** How long an approval waits, as APPROVAL_TTL_MS in daemon/policy/approvals.ts (a test holds the two equal). */
export const POSTGRES_APPROVAL_TTL_MS = 24 * 60 * 60_000;

const COLUMNS = `id, turn_id AS "turnId", tool_use_id AS "toolUseId", tool, input, reason, state, created_at AS "createdAt", expires_at AS "expiresAt", outcome`;
const INSERT = { name: "vigil_approvals_request", text: "INSERT INTO vigil.approvals (turn_id, tool_use_id, tool, input, reason, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id" };
const BY_ID = { name: "vigil_approvals_get", text: `SELECT ${COLUMNS} FROM vigil.approvals WHERE id = $1` };
const PENDING = { name: "vigil_approvals_pending", text: `SELECT ${COLUMNS} FROM vigil.approvals WHERE state = 'pending' ORDER BY id` };
const DECIDE = { name: "vigil_approvals_decide", text: "UPDATE vigil.approvals SET state = $1, decided_at = $2 WHERE id = $3 AND state = 'pending' AND expires_at > $2" };
const FINISH = { name: "vigil_approvals_finish", text: "UPDATE vigil.approvals SET state = $1, outcome = $2 WHERE id = $3" };
const EXPIRE = { name: "vigil_approvals_expire", text: `UPDATE vigil.approvals SET state = 'expired', decided_at = $1 WHERE state = 'pending' AND expires_at <= $1 RETURNING ${COLUMNS}` };

export function createPostgresApprovals(db: PostgresQueryable): PostgresApprovals {
  const rows = (found: { rows: Array<ApprovalRow & { id: number | string }> }) => found.rows.map((row) => ({ ...row, id: Number(row.id) })).sort((a, b) => a.id - b.id);
  const approvals: PostgresApprovals = {
    async request(call, now) {
      const values = [call.turnId, call.toolUseId, call.tool, canonicalJson(call.input), call.reason, now.toISOString(), new Date(now.getTime() + POSTGRES_APPROVAL_TTL_MS).toISOString()];
      return Number((await db.query<{ id: string }>({ ...INSERT, values })).rows[0]!.id);
    },
    async pending(now) {
      await approvals.expire(now);
      return rows(await db.query<ApprovalRow>(PENDING));
    },
    get: async (id) => rows(await db.query<ApprovalRow>({ ...BY_ID, values: [id] }))[0],
    decide: async (id, decision, now) => (await db.query({ ...DECIDE, values: [decision, now.toISOString(), id] })).rowCount === 1,
    finish: async (id, state, outcome) => void (await db.query({ ...FINISH, values: [state, outcome, id] })),
    expire: async (now) => rows(await db.query<ApprovalRow>({ ...EXPIRE, values: [now.toISOString()] })),
  };
  return approvals;
}
