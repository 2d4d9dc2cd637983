import type { Pool, PoolClient } from "pg";
import type { Migration } from "../open-database.js";
import { checkPostgresHashing } from "./check-postgres-hashing.js";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations.js";
import { POSTGRES_RUNTIME_ROLE } from "./postgres-runtime-role-schema.js";
import { PostgresSchemaError } from "./postgres-schema-error.js";
import { readPostgresSchemaVersion } from "./read-postgres-schema-version.js";

/** pg_advisory_xact_lock key of migrations ("viglmigr"): nodes starting at once migrate one after another. */
const MIGRATION_LOCK = "8532464684419868530";
/** Oldest server the schema is written for (EXECUTE FUNCTION triggers, sha256(), and a margin). */
const OLDEST_SERVER = 130000;

export interface MigrationOutcome {
  from: number;
  to: number;
}

/**
 * Brings the store's schema up to the last of `migrations`, all of it in one transaction under a
 * lock, so a node that fails half-way leaves nothing and nodes starting together do it once. Run
 * with the URL's own login (the database's owner), not the runtime role. A schema newer than this
 * Vigil is refused, untouched.
 */
export async function migratePostgres(pool: Pool, migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<MigrationOutcome> {
  const client = await pool.connect();
  let outcome: MigrationOutcome;
  try {
    await client.query("BEGIN");
    outcome = await migratePostgresIn(client, migrations);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  await checkPostgresHashing(pool);
  return outcome;
}

/**
 * The same inside a transaction the caller opened and will end (`vigil store copy`: migrating the
 * target and filling it commit together, or neither does). The lock is held until that end.
 */
export async function migratePostgresIn(client: PoolClient, migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<MigrationOutcome> {
  await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
  const server = await _checkServer(client);
  return _applyNewer(client, migrations, server);
}

interface ServerFacts {
  user: string;
  database: string;
}

async function _checkServer(client: PoolClient): Promise<ServerFacts> {
  const { rows } = await client.query<{ user: string; database: string; version: number; encoding: string }>(
    "SELECT current_user AS user, current_database() AS database, current_setting('server_version_num')::int AS version, current_setting('server_encoding') AS encoding",
  );
  const facts = rows[0]!;
  if (facts.version < OLDEST_SERVER) throw new PostgresSchemaError(`PostgreSQL ${Math.floor(facts.version / 10000)} is older than Vigil supports: use PostgreSQL ${OLDEST_SERVER / 10000} or later`);
  if (facts.encoding !== "UTF8") {
    throw new PostgresSchemaError(`database "${facts.database}" is encoded ${facts.encoding}, and the journal needs UTF8: create it with createdb -E UTF8 -T template0 -O ${facts.user} ${facts.database}`);
  }
  return facts;
}

async function _applyNewer(client: PoolClient, migrations: readonly Migration[], server: ServerFacts): Promise<MigrationOutcome> {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = await readPostgresSchemaVersion(client);
  if (current > latest) {
    throw new PostgresSchemaError(`database "${server.database}" has Vigil schema version ${current}, newer than this Vigil knows (${latest}): a newer Vigil migrated it; upgrade Vigil on this node`);
  }
  if (current === latest) return { from: current, to: current };
  try {
    await client.query("CREATE SCHEMA IF NOT EXISTS vigil");
    await client.query("CREATE TABLE IF NOT EXISTS vigil.schema_version (one boolean PRIMARY KEY DEFAULT true CHECK (one), version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())");
    for (const migration of migrations.filter((m) => m.version > current)) await client.query(migration.sql);
    await client.query("INSERT INTO vigil.schema_version (version) VALUES ($1) ON CONFLICT (one) DO UPDATE SET version = excluded.version, migrated_at = now()", [latest]);
  } catch (error) {
    throw _describeMigrationError(error, server) ?? error;
  }
  return { from: current, to: latest };
}

/** A login that may not create what the schema needs: who must do what. */
function _describeMigrationError(error: unknown, { user, database }: ServerFacts): PostgresSchemaError | undefined {
  if ((error as { code?: unknown })?.code !== "42501") return undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (/role/i.test(message)) {
    return new PostgresSchemaError(
      `user "${user}" may not create the role ${POSTGRES_RUNTIME_ROLE} (${message}): have an administrator run CREATE ROLE ${POSTGRES_RUNTIME_ROLE} NOLOGIN; GRANT ${POSTGRES_RUNTIME_ROLE} TO "${user}"; (or give "${user}" CREATEROLE), then migrate again`,
    );
  }
  return new PostgresSchemaError(`user "${user}" may not create Vigil's schema in "${database}" (${message}): migrate with the database owner's URL, or have an administrator run ALTER DATABASE "${database}" OWNER TO "${user}"`);
}
