import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { VigilDatabase } from "./open-database.js";

const WORKER_FILE = fileURLToPath(new URL("./wal-checkpoint-worker.js", import.meta.url));

export interface WalCheckpointer {
  /** A commit was made: under a run of them, checkpoints move off the event loop. */
  noteCommit(): void;
}

export interface WalCheckpointerOptions {
  /** Commits within one second that start the worker; fewer never pay for a thread. */
  startAfterCommits?: number;
  /** How long without a commit before the worker makes its last checkpoint and goes. */
  idleMs?: number;
  /** How often the worker checkpoints while it runs. */
  intervalMs?: number;
  /**
   * WAL frames (4 KiB pages) past which the connection copies the few frames the worker has not
   * yet, so that the WAL can start over: the WAL's size on disk under a burst that never pauses.
   */
  catchUpFrames?: number;
  now?: () => number;
}

/**
 * SQLite checkpoints a WAL from inside the COMMIT that takes it past 1,000 pages: it copies every
 * frame into the database and fsyncs both files, 5–20 ms in which the event loop answers nobody,
 * and under a burst of webhooks that is every few dozen commits (the bench's p99, and about a
 * quarter of a delivery's time on the event loop). While commits come fast, this turns that off
 * for the connection and has a worker thread (its own connection) checkpoint instead; when they
 * stop, the worker makes a last checkpoint and exits, and the connection checkpoints itself
 * again as before. The thread costs memory, so a trickle of commits never starts it. If the
 * worker fails, the connection keeps checkpointing itself for the rest of the process.
 */
export function createWalCheckpointer(
  db: VigilDatabase,
  { startAfterCommits = 50, idleMs = 10_000, intervalMs = 100, catchUpFrames = 8_000, now = Date.now }: WalCheckpointerOptions = {},
): WalCheckpointer {
  // Run from the TypeScript sources (a test) there is no built worker: the connection checkpoints itself, as ever.
  if (String(db.pragma("journal_mode", { simple: true })).toLowerCase() !== "wal" || !existsSync(WORKER_FILE)) return { noteCommit: () => undefined };
  const ownPages = db.pragma("wal_autocheckpoint", { simple: true }) as number;
  let worker: Worker | undefined;
  let failed = false;
  let windowStart = 0;
  let commitsInWindow = 0;
  let lastCommit = 0;
  let catchUp = false;
  const checkpoint = db.prepare<[], { busy: number; log: number; checkpointed: number }>("PRAGMA wal_checkpoint(PASSIVE)");

  const _restore = () => {
    worker = undefined;
    catchUp = false;
    if (db.open) db.pragma(`wal_autocheckpoint = ${ownPages}`);
  };
  const _start = () => {
    db.pragma("wal_autocheckpoint = 0");
    const started = new Worker(WORKER_FILE, { workerData: { file: db.name, intervalMs, catchUpFrames } });
    worker = started;
    started.on("error", () => (failed = true));
    started.on("message", (message) => (catchUp ||= message === "catch up"));
    started.on("exit", (code) => {
      if (code !== 0) failed = true;
      if (worker === started) _restore();
    });
    // Never what keeps the process alive (after the listeners: a "message" listener refs the port
    // again); a daemon that exits mid-checkpoint is a crash, which SQLite recovers from.
    started.unref();
    const idle = setInterval(() => {
      if (now() - lastCommit < idleMs) return;
      clearInterval(idle);
      started.postMessage("stop");
    }, idleMs / 2);
    idle.unref();
  };

  return {
    noteCommit() {
      lastCommit = now();
      if (catchUp && !db.inTransaction) catchUp = !_caughtUp(checkpoint.get()!);
      if (worker || failed) return;
      if (lastCommit - windowStart > 1000) {
        windowStart = lastCommit;
        commitsInWindow = 0;
      }
      if (++commitsInWindow >= startAfterCommits) _start();
    },
  };
}

/** Busy means the worker was checkpointing just then: try again after the next commit. */
function _caughtUp({ busy, log, checkpointed }: { busy: number; log: number; checkpointed: number }): boolean {
  return busy === 0 && checkpointed === log;
}
