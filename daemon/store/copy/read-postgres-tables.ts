import type { PostgresQueryable } from "../postgres/postgres-queryable.js";
import type { ColumnKind, TableShape } from "./copy-sides.js";

/**
 * Tables of the `vigil` schema that are not the store's content: the migration runner's, and the
 * running nodes' coordination (nodes, leases), which a copy does not carry: it moves a home, not a
 * running team, and a fresh store's nodes register themselves.
 */
const BOOKKEEPING = ["schema_version", "nodes", "leases"];

/** The store's tables in the `vigil` schema and their columns in order; generated columns (recall's words) are the database's to fill. */
export async function readPostgresTables(db: PostgresQueryable): Promise<TableShape[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string; udt_name: string }>(
    `SELECT c.table_name, c.column_name, c.udt_name
       FROM information_schema.columns AS c
       JOIN information_schema.tables AS t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'vigil' AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, TableShape & { columns: Array<{ name: string; kind: ColumnKind }> }>();
  for (const row of rows) {
    if (BOOKKEEPING.includes(row.table_name)) continue;
    const table = tables.get(row.table_name) ?? { name: row.table_name, columns: [] };
    table.columns.push({ name: row.column_name, kind: /^int[248]$/.test(row.udt_name) ? "integer" : "text" });
    tables.set(row.table_name, table);
  }
  return [...tables.values()];
}
