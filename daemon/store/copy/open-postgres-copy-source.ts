import type { Pool, PoolClient } from "pg";
import { checkPostgresSchemaVersion } from "../postgres/check-postgres-schema-version.js";
import { openPostgresPool } from "../postgres/open-postgres-pool.js";
import { parsePostgresUrl } from "../postgres/postgres-url.js";
import type { CopySource, TableShape } from "./copy-sides.js";
import { asPostgresFailure } from "./as-postgres-failure.js";
import { readPostgresTables } from "./read-postgres-tables.js";

/**
 * A PostgreSQL store as a copy's source, read as the URL's own login (the owner). Its schema must
 * be exactly this Vigil's. One REPEATABLE READ, READ ONLY transaction spans the whole copy, so rows
 * nodes write meanwhile are not half-seen; each table is read through a cursor in key order.
 */
export async function openPostgresCopySource(url: string): Promise<CopySource> {
  const target = parsePostgresUrl(url);
  const pool = await openPostgresPool({ url, max: 1 });
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await checkPostgresSchemaVersion(client);
  } catch (error) {
    await _end(pool, client);
    throw asPostgresFailure(error, target);
  }
  const open = client;
  const described = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw asPostgresFailure(error, target);
    }
  };
  return {
    label: `PostgreSQL ${target.label}`,
    tables: () => described(() => readPostgresTables(open)),
    count: (table) => described(async () => Number((await open.query<{ n: string }>(`SELECT count(*) AS n FROM vigil."${table}"`)).rows[0]!.n)),
    pages: (table, key, pageRows) => _pages(open, table, key, pageRows, described),
    close: () => _end(pool, open),
  };
}

async function* _pages(client: PoolClient, table: TableShape, key: readonly string[], pageRows: number, described: <T>(run: () => Promise<T>) => Promise<T>): AsyncGenerator<unknown[][]> {
  const columns = table.columns.map((column) => `"${column.name}"`).join(", ");
  const order = key.map((column) => `"${column}"`).join(", ");
  const integers = table.columns.map((column) => column.kind === "integer");
  await described(() => client.query(`DECLARE vigil_copy NO SCROLL CURSOR FOR SELECT ${columns} FROM vigil."${table.name}" ORDER BY ${order}`));
  try {
    for (;;) {
      const { rows } = await described(() => client.query<unknown[]>({ text: `FETCH ${pageRows} FROM vigil_copy`, rowMode: "array" }));
      if (rows.length === 0) return;
      // pg hands bigint over as text: back to an integer, exactly.
      yield rows.map((row) => row.map((value, i) => (integers[i] && typeof value === "string" ? BigInt(value) : value)));
    }
  } finally {
    await client.query("CLOSE vigil_copy").catch(() => undefined);
  }
}

async function _end(pool: Pool, client: PoolClient | undefined): Promise<void> {
  if (client) {
    await client.query("ROLLBACK").catch(() => undefined);
    client.release();
  }
  await pool.end().catch(() => undefined);
}
