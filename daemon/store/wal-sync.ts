import { closeSync, fsync, fsyncSync, openSync } from "node:fs";
import path from "node:path";
import type { VigilDatabase } from "./open-database.js";

/** SQLite's `PRAGMA synchronous` levels; FULL and up sync the WAL at every commit. */
const SYNCHRONOUS_FULL = 2;

export interface WalSync {
  /**
   * Call it just before BEGIN, and what it returns just after COMMIT or ROLLBACK, in the same
   * microtask as each: the transaction between commits without the WAL's fsync inside COMMIT
   * (SQLite refuses to change the level inside a transaction, and nothing else may commit at the
   * deferred level meanwhile). What it returns gives the promise that everything committed is on
   * disk: one fsync of the WAL in libuv's thread pool, started after COMMIT returned and shared by
   * every commit made before it starts; at once for a rollback, which has nothing to sync. A
   * commit that wrote nothing (`wrote` false: the transaction only read) starts no fsync of its
   * own, but what it read may be a commit whose sync is still on its way: it waits for that.
   */
  deferCommit(): (committed: boolean, wrote?: boolean) => Promise<void>;
}

/**
 * Group commit without blocking the event loop on the disk. With `synchronous=FULL`, a WAL commit
 * writes its frames and then fsyncs the WAL inside COMMIT: 1–10 ms on this disk, in which no
 * request is read, verified or answered. SQLite's WAL commit at NORMAL is the same write of the
 * same frames without that fsync (SQLite pads a commit only at FULL on a device that is not
 * powersafe-overwrite, which its unix VFS assumes it is); an fsync of the WAL started after
 * COMMIT returned then puts those frames on disk exactly as FULL's own fsync would have. The WAL
 * only grows between checkpoints, and a checkpoint syncs it before it copies a frame, so nothing
 * older is at risk. Whoever waits for `durable` gets FULL's guarantee; the connection's readers
 * see the rows a few milliseconds earlier, so whatever acts on them outside the database syncs the
 * WAL first: a turn claims its events in a FULL commit, the hooks' feed calls `syncWalNow`.
 *
 * Undefined when the connection is not in WAL mode or does not sync at FULL: then a commit
 * either has nothing to defer or must keep its own sync (a rollback journal).
 */
export function createWalSync(db: VigilDatabase): WalSync | undefined {
  if (String(db.pragma("journal_mode", { simple: true })).toLowerCase() !== "wal") return undefined;
  const level = db.pragma("synchronous", { simple: true }) as number;
  if (level < SYNCHRONOUS_FULL) return undefined;
  const deferSync = db.prepare("PRAGMA synchronous = NORMAL");
  const restoreSync = db.prepare(`PRAGMA synchronous = ${level}`);
  const walFile = `${db.name}-wal`;
  let directorySynced = false;
  // One fsync in flight at a time; every commit made while it runs shares the next one.
  let inFlight: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const sync = (): Promise<void> => {
    if (!inFlight) {
      // The WAL's first sync also syncs its directory, as SQLite does (and, as SQLite, ignores
      // a directory that cannot be synced).
      const directory = directorySynced ? Promise.resolve() : _fsync(path.dirname(walFile)).catch(() => undefined);
      directorySynced = true;
      inFlight = Promise.all([_fsync(walFile), directory]).then(() => undefined).finally(() => (inFlight = undefined));
      return inFlight;
    }
    // The sync in flight may have started before this commit's frames were written: wait for the next.
    queued ??= inFlight.catch(() => undefined).then(() => {
      queued = undefined;
      return sync();
    });
    return queued;
  };

  return {
    deferCommit() {
      if (db.inTransaction) throw new Error("createWalSync.deferCommit: the transaction must begin after it, and one is already open");
      deferSync.run();
      return (committed, wrote = committed) => {
        restoreSync.run();
        if (wrote) return sync();
        return committed ? (queued ?? inFlight ?? Promise.resolve()) : Promise.resolve();
      };
    },
  };
}

/**
 * fsyncs `db`'s WAL now, on the event loop: for a reader about to act outside the database on
 * rows it just read, which a group may have committed without their fsync being done yet. A
 * database without a WAL file (not in WAL mode) has nothing to sync.
 */
export function syncWalNow(db: VigilDatabase): void {
  let fd: number;
  try {
    fd = openSync(`${db.name}-wal`, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync off the event loop, in libuv's thread pool (SQLite's unix VFS, as built here, uses fsync too). */
function _fsync(name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // Opened per sync (microseconds; a throw here rejects) rather than kept open: no descriptor
    // outlives the database, and a WAL re-created after every connection closed is never missed.
    const fd = openSync(name, "r");
    fsync(fd, (error) => {
      closeSync(fd);
      if (error) reject(error);
      else resolve();
    });
  });
}
