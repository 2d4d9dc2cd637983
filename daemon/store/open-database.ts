import { closeSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { makePrivateHome, PRIVATE_FILE_MODE } from "./private-files.js";

// Required, not imported: importing a CommonJS package from an ES module makes Node lex its
// source for export names first, a few ms of every verb's start.
const Database = createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3;

export type VigilDatabase = BetterSqlite3.Database;

/** One step of a schema history; the list is composed above the ground (daemon/context/migrations.ts). */
export interface Migration {
  version: number;
  sql: string;
}

export class DatabaseVersionError extends Error {}

/**
 * Opens `vigil.db` in WAL mode and brings its schema up to date. Safe when several processes
 * open it at once: migrations run inside an IMMEDIATE transaction and re-read the version there.
 */
export function openDatabase(file: string, migrations: readonly Migration[]): VigilDatabase {
  makePrivateHome(path.dirname(file));
  // SQLite creates files 0644 less the umask and gives the -wal and -shm files the database's
  // mode: creating it 0600 first keeps all three private.
  closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
  const db = new Database(file);
  // Another process may hold the write lock for a moment (the daemon and `vigil tell`): wait, don't fail.
  db.pragma("busy_timeout = 10000");
  db.pragma("journal_mode = WAL");
  // The journal is the record of what happened: a committed row survives a crash and a power cut.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  _migrate(db, migrations);
  return db;
}

/** A read-only second connection to an existing `vigil.db` (a worker thread's, a child's): no migration, no writes. */
export function openReadonlyDatabase(file: string): VigilDatabase {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 10000");
  return db;
}

/**
 * A second read-write connection to an existing `vigil.db` for a worker thread that only
 * checkpoints its WAL (daemon/store/wal-checkpoint-worker.ts): no migration, and the same
 * durability as the daemon's own, since a checkpoint syncs the WAL before it copies and the
 * database after.
 */
export function openCheckpointDatabase(file: string): VigilDatabase {
  const db = new Database(file, { fileMustExist: true });
  db.pragma("busy_timeout = 10000");
  db.pragma("synchronous = FULL");
  // This connection checkpoints when it is told to, never as a side effect of a commit (it makes none).
  db.pragma("wal_autocheckpoint = 0");
  return db;
}

function _migrate(db: VigilDatabase, migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  if ((db.pragma("user_version", { simple: true }) as number) === latest) return;
  db.transaction(() => {
    const current = db.pragma("user_version", { simple: true }) as number;
    if (current > latest) {
      throw new DatabaseVersionError(
        `${db.name} has schema version ${current}, newer than this Vigil knows (${latest}); upgrade Vigil`,
      );
    }
    for (const migration of migrations.filter((m) => m.version > current)) {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}
