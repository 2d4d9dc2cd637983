import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../daemon/context/migrations.js";
import { openDatabase } from "../daemon/store/open-database.js";
import { makeTempHome } from "./support/temp-home.js";

// The built module (npm test builds before vitest): its worker thread runs the built worker file,
// which the TypeScript sources cannot be. A path in a variable, so typecheck (before the build) passes.
const BUILT = "../dist/daemon/store/wal-checkpointer.js";
const { createWalCheckpointer } = (await import(BUILT)) as typeof import("../daemon/store/wal-checkpointer.js");

const PAGE = 4096;
const until = async (check: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !check(); await new Promise((resolve) => setTimeout(resolve, 10))) if (Date.now() > end) throw new Error("timed out");
};

function _db() {
  const db = openDatabase(path.join(makeTempHome(), "vigil.db"), MIGRATIONS);
  db.exec("CREATE TABLE items (n INTEGER PRIMARY KEY, text TEXT)");
  return db;
}

/** One commit of about `pages` new pages, then a turn of the event loop (the worker's messages come in there). */
async function _commit(db: ReturnType<typeof _db>, pages: number) {
  db.prepare("INSERT INTO items (text) VALUES (?)").run("x".repeat(pages * PAGE));
  await new Promise((resolve) => setImmediate(resolve));
}

describe("WAL checkpoints in a worker thread under a run of commits", () => {
  it("a run of commits moves checkpoints to the worker, which copies the WAL into the database; idle, it goes and the connection checkpoints itself again", async () => {
    expect(existsSync(new URL("../dist/daemon/store/wal-checkpoint-worker.js", import.meta.url))).toBe(true);
    const db = _db();
    const checkpoints = createWalCheckpointer(db, { startAfterCommits: 5, idleMs: 300, intervalMs: 20 });
    const before = statSync(db.name).size;
    for (let i = 0; i < 10; i++) {
      await _commit(db, 2);
      checkpoints.noteCommit();
    }
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    // Only a checkpoint writes pages into the database file, and this connection makes none now.
    await until(() => statSync(db.name).size >= before + 10 * 2 * PAGE);
    await until(() => db.pragma("wal_autocheckpoint", { simple: true }) === 1000);
    db.close();
  });

  it("a trickle of commits never starts a thread", async () => {
    const db = _db();
    const checkpoints = createWalCheckpointer(db, { startAfterCommits: 50 });
    for (let i = 0; i < 10; i++) {
      await _commit(db, 1);
      checkpoints.noteCommit();
    }
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    db.close();
  });

  it("commits that never pause still let the WAL start over: it stays near catchUpFrames", async () => {
    const db = _db();
    const checkpoints = createWalCheckpointer(db, { startAfterCommits: 5, idleMs: 1000, intervalMs: 10, catchUpFrames: 200 });
    const wal = `${db.name}-wal`;
    let largest = 0;
    for (const end = Date.now() + 1500; Date.now() < end; ) {
      await _commit(db, 4);
      checkpoints.noteCommit();
      largest = Math.max(largest, statSync(wal).size);
    }
    // 1.5 s of 4-page commits is thousands of frames; the WAL is reused from its start instead.
    expect(largest / (PAGE + 24)).toBeLessThan(2000);
    db.close();
  });
});
