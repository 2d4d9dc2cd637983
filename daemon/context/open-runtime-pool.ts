import type { LoadedConfig } from "../config/load-config.js";
import { findMissingSecrets } from "../config/resolve-secrets.js";
import { checkPostgresSchemaVersion } from "../store/postgres/check-postgres-schema-version.js";
import { openPostgresPool, type PostgresPool } from "../store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../store/postgres/postgres-runtime-role-schema.js";
import { parsePostgresUrl } from "../store/postgres/postgres-url.js";

/** A pool on the team store, and where it is for people (`postgres://HOST:PORT/DATABASE`, no credentials). */
export interface RuntimePool {
  pool: PostgresPool;
  location: string;
}

/**
 * A small pool on `store.url` as the runtime role (it may read and append the journal, never change
 * it), once the schema is checked to be the one this Vigil knows. Throws ConfigError (no URL),
 * PostgresConnectionError or PostgresSchemaError, each naming what to do; a pool that opened for
 * a schema it cannot use is closed again.
 */
export async function openRuntimePool(loaded: LoadedConfig, env: NodeJS.ProcessEnv, { max = 2 }: { max?: number } = {}): Promise<RuntimePool> {
  const url = loaded.secrets.databaseUrl;
  // With engine postgres the URL is a required secret: its absence is one of the missing ones.
  if (!url) throw findMissingSecrets(loaded.config, env, loaded.file).find((error) => error.keyPath === "store.url")!;
  const target = parsePostgresUrl(url, env);
  const pool = await openPostgresPool({ url, role: POSTGRES_RUNTIME_ROLE, max });
  try {
    await checkPostgresSchemaVersion(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { pool, location: `postgres://${target.host}:${target.port}/${target.database}` };
}
