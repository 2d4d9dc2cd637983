import { openDatabase, type Migration, type VigilDatabase } from "../open-database.js";
import type { CopySource, TableShape } from "./copy-sides.js";
import { readSqliteTables } from "./read-sqlite-tables.js";

/**
 * A SQLite store as a copy's source, brought to today's schema as every verb opens it. One read
 * transaction spans the whole copy (WAL mode: writers go on meanwhile, the copy sees one moment),
 * and rows are read in pages by rowid, integers as bigint so none above 2^53 is rounded.
 */
export function openSqliteCopySource(file: string, migrations: readonly Migration[]): CopySource {
  const db = openDatabase(file, migrations);
  try {
    db.exec("BEGIN");
    // The snapshot is taken at the first read, not at BEGIN.
    db.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    label: `SQLite ${file}`,
    tables: async () => readSqliteTables(db),
    count: async (table) => Number(db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get()),
    pages: (table, _key, pageRows) => _pages(db, table, pageRows),
    close: async () => {
      if (db.inTransaction) db.exec("COMMIT");
      db.close();
    },
  };
}

async function* _pages(db: VigilDatabase, table: TableShape, pageRows: number): AsyncGenerator<unknown[][]> {
  const columns = table.columns.map((column) => `"${column.name}"`).join(", ");
  const page = db.prepare(`SELECT rowid, ${columns} FROM "${table.name}" WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw(true).safeIntegers(true);
  for (let after: bigint = -(2n ** 63n); ; ) {
    const rows = page.all(after, pageRows) as unknown[][];
    if (rows.length === 0) return;
    after = rows.at(-1)![0] as bigint;
    yield rows.map((row) => row.slice(1));
    if (rows.length < pageRows) return;
  }
}
