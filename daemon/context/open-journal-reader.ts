import { loadConfig, type LoadedConfig } from "../config/load-config.js";
import { withServiceEnv } from "../config/service-env.js";
import { resolvePaths, type VigilPaths } from "../paths/resolve-paths.js";
import { createPostgresJournalReader } from "../store/postgres/create-postgres-journal-reader.js";
import type { JournalReader } from "../../logs/journal-reader.js";
import { createSqliteJournalReader } from "../../logs/sqlite-journal-reader.js";
import { assembleContext, type ContextOptions } from "./assemble-context.js";
import { openRuntimePool } from "./open-runtime-pool.js";

/** What a journal-reading verb works with: the config, the paths, the clock, and the journal on the configured engine. */
export interface JournalReading {
  env: NodeJS.ProcessEnv;
  paths: VigilPaths;
  loaded: LoadedConfig;
  now: () => Date;
  journal: JournalReader;
}

/**
 * Opens the journal where `store.engine` says it is. SQLite: this home's `vigil.db`, as every verb
 * opens it. PostgreSQL: a small pool as the runtime role (it may read the journal, never change
 * it) on `store.url`, after checking the schema is the one this Vigil knows; `vigil.db` is not
 * touched. Throws ConfigError (no URL), PostgresConnectionError or PostgresSchemaError, each
 * naming what to do.
 */
export async function openJournalReader(options: ContextOptions = {}): Promise<JournalReading> {
  const paths = resolvePaths(options.env ?? process.env);
  const env = withServiceEnv(options.env ?? process.env, paths.home);
  const loaded = loadConfig(paths.config, env);
  const now = options.now ?? (() => new Date());
  if (loaded.config.store.engine === "sqlite") {
    const ctx = assembleContext(paths, loaded, { ...options, env });
    return { env, paths, loaded, now, journal: createSqliteJournalReader(ctx.db, () => ctx.close()) };
  }
  const { pool, location } = await openRuntimePool(loaded, env);
  return { env, paths, loaded, now, journal: createPostgresJournalReader(pool, location) };
}
