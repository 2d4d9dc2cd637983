import type { VigilDatabase } from "../open-database.js";
import type { ColumnKind, TableShape } from "./copy-sides.js";

/** FTS5's own tables behind the `recall` index: the engine's bookkeeping, not the store's. */
const FTS_SHADOWS = ["recall_config", "recall_content", "recall_data", "recall_docsize", "recall_idx"];

/** The store's tables in a SQLite file and their columns, by declared type (INTEGER, TEXT). */
export function readSqliteTables(db: VigilDatabase): TableShape[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[]).filter(
    (name) => !FTS_SHADOWS.includes(name),
  );
  return names.map((name) => ({
    name,
    columns: (db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{ name: string; type: string }>).map((column) => ({ name: column.name, kind: _kind(column.type) })),
  }));
}

function _kind(declared: string): ColumnKind {
  return /INT/i.test(declared) ? "integer" : "text";
}
