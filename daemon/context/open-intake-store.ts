import type { LoadedConfig } from "../config/load-config.js";
import { runningDaemon } from "../locks/signal-daemon.js";
import type { VigilPaths } from "../paths/resolve-paths.js";
import { createSqliteStore } from "../store/sqlite/create-sqlite-store.js";
import { assembleContext } from "./assemble-context.js";
import { sqliteIntakeTx, type IntakeStore } from "./intake-tx.js";

export type { IntakeStore } from "./intake-tx.js";

/**
 * On SQLite, this home's `vigil.db` as every verb opens it, with the store port over the queue and
 * the journal. On PostgreSQL, a small pool on the team store (daemon/context/open-postgres-intake-store.ts,
 * loaded only then, as `pg` is); `vigil.db` is not touched.
 */
export async function openIntakeStore(paths: VigilPaths, loaded: LoadedConfig, options: { env: NodeJS.ProcessEnv; now?: () => Date }): Promise<IntakeStore> {
  if (loaded.config.store.engine === "postgres") {
    const { openPostgresIntakeStore } = await import("./open-postgres-intake-store.js");
    return openPostgresIntakeStore(loaded, options);
  }
  const ctx = assembleContext(paths, loaded, options);
  return {
    store: createSqliteStore(ctx.db, sqliteIntakeTx(ctx), { hold: ctx.journal.holdRendering }),
    location: paths.database,
    anyoneRunning: async () => runningDaemon(paths.lockFile) !== undefined,
    close: async () => ctx.close(),
  };
}
