import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { openDatabase, type Migration, type VigilDatabase } from "../open-database.js";
import { journalMatches, type CopyTarget, type CopyVerdict, type TableShape } from "./copy-sides.js";
import { readSqliteTables } from "./read-sqlite-tables.js";
import { SEEDED_ROWS } from "./store-tables.js";
import { StoreCopyError } from "./store-copy-error.js";

export interface SqliteCopyTargetOptions {
  /** The new file; it must not exist. */
  file: string;
  /** Today's SQLite schema (daemon/context/migrations.ts), handed down from above the ground. */
  migrations: readonly Migration[];
  /** logs/verify-chain.ts's walk, handed down the same way. */
  verify: (db: VigilDatabase) => CopyVerdict;
}

/** The journal's rows index the way memory/index-journal.ts indexes them, up to where the source had indexed; transcripts reach the index by their trigger. */
const REBUILD_RECALL = `INSERT INTO recall (body, source, ref, day)
  SELECT kind || ': ' || summary || ' ' || data, 'journal', seq, day FROM journal
   WHERE seq <= (SELECT journal_seq FROM recall_progress WHERE id = 1) ORDER BY seq`;

/**
 * A new SQLite file as a copy's target: made with today's migrations under a temporary name beside
 * it, filled in one transaction, verified, and only then given its name (a hard link, which
 * refuses a file that appeared meanwhile), so the name never holds half a copy.
 */
export function openSqliteCopyTarget({ file, migrations, verify }: SqliteCopyTargetOptions): CopyTarget {
  const final = path.resolve(file);
  if (existsSync(final)) throw new StoreCopyError(`${final} exists already: a copy goes into a new file only, so nothing is overwritten; name a file that does not exist, or move that one away`);
  if (!existsSync(path.dirname(final))) throw new StoreCopyError(`the folder ${path.dirname(final)} does not exist: create it, or name a file in a folder that does`);
  const temporary = `${final}.copying-${randomBytes(4).toString("hex")}`;
  const db = openDatabase(temporary, migrations);
  db.exec("BEGIN IMMEDIATE");
  const inserts = new Map<string, BetterSqlite3.Statement>();
  let open = true;
  const discard = () => {
    if (open) {
      if (db.inTransaction) db.exec("ROLLBACK");
      db.close();
      open = false;
    }
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${temporary}${suffix}`, { force: true });
  };
  return {
    label: `SQLite ${final}`,
    notes: [],
    tables: async () => readSqliteTables(db),
    occupied: async () => _occupied(db),
    insert: async (table, rows) => {
      let insert = inserts.get(table.name);
      if (!insert) {
        if (SEEDED_ROWS[table.name] !== undefined) db.prepare(`DELETE FROM "${table.name}"`).run();
        insert = db.prepare(`INSERT INTO "${table.name}" (${_names(table)}) VALUES (${table.columns.map(() => "?").join(", ")})`);
        inserts.set(table.name, insert);
      }
      for (const row of rows) insert.run(...row);
    },
    finish: async (expected) => {
      try {
        db.prepare(REBUILD_RECALL).run();
        const verdict = verify(db);
        if (!journalMatches(verdict, expected)) {
          discard();
          return verdict;
        }
        db.exec("COMMIT");
        // One self-contained file before it is named: no -wal beside it to lose in the rename.
        db.pragma("journal_mode = DELETE");
        db.close();
        open = false;
        _nameOnce(temporary, final);
        return verdict;
      } catch (error) {
        discard();
        throw error;
      }
    },
    abort: async () => discard(),
  };
}

function _names(table: TableShape): string {
  return table.columns.map((column) => `"${column.name}"`).join(", ");
}

function _occupied(db: VigilDatabase): Array<{ table: string; rows: number }> {
  const found: Array<{ table: string; rows: number }> = [];
  for (const { name } of readSqliteTables(db)) {
    const seed = SEEDED_ROWS[name];
    const count = Number(db.prepare(`SELECT count(*) FROM "${name}"${seed ? ` WHERE ${seed}` : ""}`).pluck().get());
    if (count > 0) found.push({ table: name, rows: count });
  }
  return found;
}

/** Gives the finished file its name unless something took the name meanwhile; the folder is synced so the name survives a crash. */
function _nameOnce(temporary: string, final: string): void {
  try {
    linkSync(temporary, final);
    rmSync(temporary);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      rmSync(temporary, { force: true });
      throw new StoreCopyError(`${final} appeared while the copy ran: it was left as it is and the copy was discarded; copy again to a new name`);
    }
    // A file system without hard links: the check before the rename is the best it allows.
    if (existsSync(final)) throw new StoreCopyError(`${final} appeared while the copy ran: it was left as it is; the copy is in ${temporary}`);
    renameSync(temporary, final);
  }
  const folder = openSync(path.dirname(final), "r");
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}
