import type { PostgresQueryable } from "./postgres-queryable.js";

/** The schema version `vigil.schema_version` records; 0 when the database has no Vigil schema yet. */
export async function readPostgresSchemaVersion(db: PostgresQueryable): Promise<number> {
  // to_regclass: no error (and no aborted transaction) when the table is not there.
  const { rows } = await db.query<{ exists: boolean }>("SELECT to_regclass('vigil.schema_version') IS NOT NULL AS exists");
  if (!rows[0]?.exists) return 0;
  const version = await db.query<{ version: number }>("SELECT version FROM vigil.schema_version");
  return version.rows[0]?.version ?? 0;
}
