import type { PostgresQueryable } from "./postgres-queryable.js";

/** daemon/state/daemon-state.ts on PostgreSQL: small named values, JSON-encoded, shared by every node. */
export interface PostgresDaemonState {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Reads and deletes in one statement: taken once across every node (the row's lock decides). */
  take<T>(key: string): Promise<T | undefined>;
}

const GET = { name: "vigil_state_get", text: "SELECT value FROM vigil.daemon_state WHERE key = $1" };
const SET = { name: "vigil_state_set", text: "INSERT INTO vigil.daemon_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value" };
const DELETE = { name: "vigil_state_delete", text: "DELETE FROM vigil.daemon_state WHERE key = $1" };
const TAKE = { name: "vigil_state_take", text: "DELETE FROM vigil.daemon_state WHERE key = $1 RETURNING value" };

export function createPostgresDaemonState(db: PostgresQueryable): PostgresDaemonState {
  return {
    async get<T>(key: string) {
      const row = (await db.query<{ value: string }>({ ...GET, values: [key] })).rows[0];
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set: async (key, value) => void (await db.query({ ...SET, values: [key, JSON.stringify(value)] })),
    delete: async (key) => void (await db.query({ ...DELETE, values: [key] })),
    async take<T>(key: string) {
      const row = (await db.query<{ value: string }>({ ...TAKE, values: [key] })).rows[0];
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
  };
}
