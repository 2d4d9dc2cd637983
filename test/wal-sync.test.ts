import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../daemon/context/migrations.js";
import { createGroupCommit } from "../daemon/store/group-commit.js";
import { openDatabase } from "../daemon/store/open-database.js";
import { createWalSync, syncWalNow, type WalSync } from "../daemon/store/wal-sync.js";
import { makeTempHome } from "./support/temp-home.js";

const FULL = 2;

function _db() {
  const db = openDatabase(path.join(makeTempHome(), "vigil.db"), MIGRATIONS);
  db.exec("CREATE TABLE items (n INTEGER PRIMARY KEY)");
  return db;
}

/** The real WAL sync, with each `durable` held until the test lets it go: what an fsync taking its time looks like. */
function _heldSync(db: Database.Database) {
  const real = createWalSync(db)!;
  const held: Array<() => void> = [];
  const walSync: WalSync = {
    commit(work) {
      const { value, durable } = real.commit(work);
      return { value, durable: durable.then(() => new Promise<void>((resolve) => held.push(resolve))) };
    },
  };
  return { walSync, release: () => held.splice(0).forEach((resolve) => resolve()) };
}

describe("WAL sync after commit", () => {
  it("a group is committed at once, and answered only once its WAL sync is done", async () => {
    const db = _db();
    const { walSync, release } = _heldSync(db);
    const group = createGroupCommit(db, { walSync });
    let answered = false;
    const done = group.submit(() => db.prepare("INSERT INTO items (n) VALUES (1)").run().changes, { othersComing: false }).then((changes) => ((answered = true), changes));
    // Committed: another connection sees the row, and the connection syncs at FULL again.
    const other = new Database(db.name, { readonly: true });
    expect(other.prepare("SELECT n FROM items").pluck().all()).toEqual([1]);
    other.close();
    expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    release();
    expect(await done).toBe(1);
    db.close();
  });

  it("a sync that fails answers every piece of its group with the error, none with success", async () => {
    const db = _db();
    const failing: WalSync = { commit: (work) => ({ value: work(), durable: Promise.reject(new Error("EIO: fsync failed")) }) };
    const group = createGroupCommit(db, { walSync: failing });
    const results = await Promise.allSettled([1, 2, 3].map((n) => group.submit(() => db.prepare("INSERT INTO items (n) VALUES (?)").run(n))));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe("EIO: fsync failed");
    db.close();
  });

  it("commits while a sync is in flight all wait for the next one, and all of them resolve", async () => {
    const db = _db();
    const walSync = createWalSync(db)!;
    const durable = Array.from({ length: 20 }, (_, n) => walSync.commit(() => db.transaction(() => db.prepare("INSERT INTO items (n) VALUES (?)").run(n)).immediate()).durable);
    await Promise.all(durable);
    expect(db.prepare("SELECT count(*) FROM items").pluck().get()).toBe(20);
    db.close();
  });

  it("work that throws leaves the connection at FULL and rejects without a sync", () => {
    const db = _db();
    const walSync = createWalSync(db)!;
    expect(() => walSync.commit(() => db.transaction(() => {
      db.prepare("INSERT INTO items (n) VALUES (1)").run();
      throw new Error("bad delivery");
    }).immediate())).toThrow("bad delivery");
    expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
    expect(db.prepare("SELECT count(*) FROM items").pluck().get()).toBe(0);
    db.close();
  });

  it("is not used without a WAL or below FULL, and refuses work inside an open transaction", () => {
    const rollbackJournal = new Database(path.join(makeTempHome(), "plain.db"));
    rollbackJournal.pragma("synchronous = FULL");
    expect(createWalSync(rollbackJournal)).toBeUndefined();
    rollbackJournal.close();
    const db = _db();
    db.pragma("synchronous = NORMAL");
    expect(createWalSync(db)).toBeUndefined();
    db.pragma("synchronous = FULL");
    const walSync = createWalSync(db)!;
    db.exec("BEGIN");
    expect(() => walSync.commit(() => 1)).toThrow(/already open/);
    db.exec("ROLLBACK");
    db.close();
  });

  it("syncWalNow syncs a WAL that is there and is a no-op for a database without one", () => {
    const db = _db();
    db.prepare("INSERT INTO items (n) VALUES (1)").run();
    expect(() => syncWalNow(db)).not.toThrow();
    db.close();
    const rollbackJournal = new Database(path.join(makeTempHome(), "plain.db"));
    rollbackJournal.exec("CREATE TABLE t (n INTEGER)");
    expect(() => syncWalNow(rollbackJournal)).not.toThrow();
    rollbackJournal.close();
  });
});
