import { parentPort, workerData } from "node:worker_threads";
import { openCheckpointDatabase } from "./open-database.js";

/**
 * The worker thread of `createWalCheckpointer`: a PASSIVE checkpoint of the daemon's WAL every
 * `intervalMs`, on its own connection, so that copying frames into the database and its two
 * fsyncs never block the daemon's event loop. PASSIVE waits for nobody: writers go on appending
 * while it copies what was committed before it began. "stop" makes one last checkpoint and exits.
 */
const { file, intervalMs, catchUpFrames } = workerData as { file: string; intervalMs: number; catchUpFrames: number };
const db = openCheckpointDatabase(file);
const checkpoint = db.prepare<[], { busy: number; log: number; checkpointed: number }>("PRAGMA wal_checkpoint(PASSIVE)");
const _checkpoint = () => {
  try {
    const { log } = checkpoint.get()!;
    // Under writes that never pause, a checkpoint never finds the WAL copied to its end, so the WAL
    // never starts over: past `catchUpFrames` the parent copies the rest itself, between two commits.
    if (log >= catchUpFrames) parentPort!.postMessage("catch up");
  } catch (error) {
    // Busy (another process's checkpoint) or a full disk: the next interval tries again; the parent hears of anything else.
    if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
  }
};
const timer = setInterval(_checkpoint, intervalMs);
parentPort!.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  _checkpoint();
  db.close();
  parentPort!.close();
});
