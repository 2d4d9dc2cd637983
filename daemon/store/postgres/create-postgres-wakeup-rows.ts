import type { NewWakeupRow, WakeupRow } from "../store-records.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

/** The rows of `vigil.wakeups` that daemon/events/wakeups-on-rows.ts judges: what is due is decided above the store. */
export interface PostgresWakeupRows {
  active(): Promise<WakeupRow[]>;
  insert(row: NewWakeupRow): Promise<number>;
  finish(id: number): Promise<void>;
  checkThrough(id: number, at: string): Promise<void>;
}

const ACTIVE = {
  name: "vigil_wakeups_active",
  text: `SELECT id, kind, at, cron, note, origin, missed, checked_through AS "checkedThrough" FROM vigil.wakeups WHERE state = 'active' ORDER BY id`,
};
const INSERT = {
  name: "vigil_wakeups_insert",
  text: "INSERT INTO vigil.wakeups (kind, at, cron, note, origin, created_at, checked_through, missed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
};
const FINISH = { name: "vigil_wakeups_finish", text: "UPDATE vigil.wakeups SET state = 'done' WHERE id = $1" };
// Never back: two nodes checking the same wake-up at once leave the later minute.
const CHECK_THROUGH = {
  name: "vigil_wakeups_check_through",
  text: "UPDATE vigil.wakeups SET checked_through = $2 WHERE id = $1 AND (checked_through IS NULL OR checked_through < $2)",
};

export function createPostgresWakeupRows(db: PostgresQueryable): PostgresWakeupRows {
  return {
    active: async () => (await db.query<WakeupRow & { id: string }>(ACTIVE)).rows.map((row) => ({ ...row, id: Number(row.id) })),
    insert: async (row) => Number((await db.query<{ id: string }>({ ...INSERT, values: [row.kind, row.at, row.cron, row.note, row.origin, row.createdAt, row.checkedThrough, row.missed] })).rows[0]!.id),
    finish: async (id) => void (await db.query({ ...FINISH, values: [id] })),
    checkThrough: async (id, at) => void (await db.query({ ...CHECK_THROUGH, values: [id, at] })),
  };
}
