import type { VigilDatabase } from "../store/open-database.js";

/** When the heartbeat last ticked; written by the supervisor, read by `vigil status`. */
export const LAST_TICK_KEY = "lastTickAt";

/** Small named values the daemon keeps across restarts (last wake, backoff, sleep-until). */
export interface DaemonState {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** Reads and deletes in one statement: a value (a one-time token) is taken once, however many race for it. */
  take<T>(key: string): T | undefined;
}

export function createDaemonState(db: VigilDatabase): DaemonState {
  const select = db.prepare<[string], { value: string }>("SELECT value FROM daemon_state WHERE key = ?");
  const upsert = db.prepare("INSERT INTO daemon_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const remove = db.prepare("DELETE FROM daemon_state WHERE key = ?");
  const take = db.prepare<[string], { value: string }>("DELETE FROM daemon_state WHERE key = ? RETURNING value");
  return {
    get: <T>(key: string) => {
      const row = select.get(key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set: (key, value) => void upsert.run(key, JSON.stringify(value)),
    delete: (key) => void remove.run(key),
    take: <T>(key: string) => {
      const row = take.get(key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
  };
}
