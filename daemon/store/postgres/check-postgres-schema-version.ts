import type { Migration } from "../open-database.js";
import { checkPostgresHashing } from "./check-postgres-hashing.js";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations.js";
import type { PostgresQueryable } from "./postgres-queryable.js";
import { PostgresSchemaError } from "./postgres-schema-error.js";
import { readPostgresSchemaVersion } from "./read-postgres-schema-version.js";

/**
 * For a connection that does not migrate (the runtime role): the schema must be exactly the one
 * this Vigil knows. Older: migrate first. Newer: this node's Vigil is the old one.
 */
export async function checkPostgresSchemaVersion(db: PostgresQueryable, migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<void> {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = await readPostgresSchemaVersion(db);
  const database = (await db.query<{ database: string }>("SELECT current_database() AS database")).rows[0]!.database;
  if (current === 0) throw new PostgresSchemaError(`database "${database}" has no Vigil schema yet: run \`vigil store migrate\` with the database owner's URL`);
  if (current < latest) throw new PostgresSchemaError(`database "${database}" has Vigil schema version ${current}, older than this Vigil's ${latest}: run \`vigil store migrate\` with the database owner's URL`);
  if (current > latest) throw new PostgresSchemaError(`database "${database}" has Vigil schema version ${current}, newer than this Vigil knows (${latest}): a newer Vigil migrated it; upgrade Vigil on this node`);
  await checkPostgresHashing(db);
}
