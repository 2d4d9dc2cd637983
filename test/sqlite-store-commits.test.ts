import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../daemon/context/migrations.js";
import { openDatabase, type VigilDatabase } from "../daemon/store/open-database.js";
import { createSqliteStore } from "../daemon/store/sqlite/create-sqlite-store.js";
import type { TransactionOptions } from "../daemon/store/vigil-store.js";
import { createWalSync, syncWalNow, type WalSync } from "../daemon/store/wal-sync.js";
import { makeTempHome } from "./support/temp-home.js";

const FULL = 2;
const SHARED: TransactionOptions = { share: { othersComing: true } };
const LONE: TransactionOptions = { share: { othersComing: false } };

function _db() {
  const db = openDatabase(path.join(makeTempHome(), "vigil.db"), MIGRATIONS);
  db.exec("CREATE TABLE items (n INTEGER PRIMARY KEY)");
  return db;
}

/** A store whose one domain inserts an item; counts its commits. */
function _store(db: VigilDatabase, walSync: WalSync | undefined = createWalSync(db)) {
  const insert = db.prepare<[number]>("INSERT INTO items (n) VALUES (?)");
  const count = db.prepare("SELECT count(*) FROM items").pluck();
  const tx = { items: { insert: async (n: number) => insert.run(n).changes, count: async () => count.get() as number } };
  const commits = { count: 0 };
  const store = createSqliteStore(db, tx, { walSync, onCommit: () => commits.count++ });
  return { store, commits };
}

const _items = (db: VigilDatabase) => db.prepare("SELECT n FROM items ORDER BY n").pluck().all();
const _seenByAnother = (db: VigilDatabase) => {
  const other = new Database(db.name, { readonly: true });
  try {
    return other.prepare("SELECT n FROM items ORDER BY n").pluck().all();
  } finally {
    other.close();
  }
};

/** The real WAL sync, with each durability held until the test lets it go: what an fsync taking its time looks like. */
function _heldSync(db: VigilDatabase) {
  const real = createWalSync(db)!;
  const held: Array<() => void> = [];
  const walSync: WalSync = {
    deferCommit() {
      const settle = real.deferCommit();
      return (committed) => settle(committed).then(() => new Promise<void>((resolve) => held.push(resolve)));
    },
  };
  return { walSync, release: () => held.splice(0).forEach((resolve) => resolve()) };
}

describe("SQLite store: shared commits", () => {
  it("work asked to share arrives in one transaction: every piece runs before any is answered, all of it is committed once", async () => {
    const db = _db();
    const { store, commits } = _store(db);
    const order: string[] = [];
    const done = Array.from({ length: 50 }, (_, n) =>
      store
        .transaction(async (tx) => {
          order.push(`run ${n}`);
          expect(db.inTransaction).toBe(true);
          return tx.items.insert(n);
        }, SHARED)
        .then((changes) => order.push(`answered ${n} (${changes})`)),
    );
    await Promise.all(done);
    expect(order.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, n) => `run ${n}`));
    expect(order[50]).toBe("answered 0 (1)");
    expect(commits.count).toBe(1);
    expect(db.inTransaction).toBe(false);
    expect(_items(db)).toHaveLength(50);
    await store.close();
  });

  it("a piece that throws is rolled back alone and its caller gets the error; the rest commit", async () => {
    const db = _db();
    const { store } = _store(db);
    const results = await Promise.allSettled([
      store.transaction((tx) => tx.items.insert(1), SHARED),
      store.transaction(async (tx) => {
        await tx.items.insert(2);
        throw new Error("bad delivery");
      }, SHARED),
      store.transaction((tx) => tx.items.insert(3), SHARED),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe("bad delivery");
    expect(_items(db)).toEqual([1, 3]);
    await store.close();
  });

  it("work not asked to share is its own transaction, and its error rolls back all of it", async () => {
    const db = _db();
    const { store, commits } = _store(db);
    await expect(store.transaction(async (tx) => {
      await tx.items.insert(1);
      await tx.items.insert(2);
      throw new Error("half a turn");
    })).rejects.toThrow("half a turn");
    await Promise.all([store.transaction((tx) => tx.items.insert(3)), store.transaction((tx) => tx.items.insert(4))]);
    expect(_items(db)).toEqual([3, 4]);
    expect(commits.count).toBe(2);
    expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
    await store.close();
  });

  it("a lone piece (nothing else on its way) is committed before the event loop turns", async () => {
    const db = _db();
    const { store } = _store(db);
    const answered = store.transaction((tx) => tx.items.insert(7), LONE);
    const seenAtTurn = await new Promise((resolve) => setImmediate(() => resolve(_seenByAnother(db))));
    expect(seenAtTurn).toEqual([7]);
    expect(await answered).toBe(1);
    await store.close();
  });

  it("a transaction that cannot begin (another process holds the write lock) rejects every piece, keeps none, and leaves the connection at FULL", async () => {
    const db = _db();
    const { store } = _store(db);
    // Another connection holds the write lock: BEGIN IMMEDIATE waits busy_timeout, then fails.
    db.pragma("busy_timeout = 50");
    const holder = new Database(db.name);
    holder.exec("BEGIN IMMEDIATE");
    const results = await Promise.allSettled([1, 2].map((n) => store.transaction((tx) => tx.items.insert(n), SHARED)));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    holder.exec("ROLLBACK");
    holder.close();
    expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
    expect(_items(db)).toEqual([]);
    await store.transaction((tx) => tx.items.insert(9));
    expect(_items(db)).toEqual([9]);
    await store.close();
  });
});

describe("SQLite store: WAL sync after commit", () => {
  it("a group is committed at once, and answered only once its WAL sync is done", async () => {
    const db = _db();
    const { walSync, release } = _heldSync(db);
    const { store } = _store(db, walSync);
    let answered = false;
    const done = store.transaction((tx) => tx.items.insert(1), LONE).then((changes) => ((answered = true), changes));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Committed: another connection sees the row, and the connection syncs at FULL again; nobody is told yet.
    expect(_seenByAnother(db)).toEqual([1]);
    expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
    expect(answered).toBe(false);
    release();
    expect(await done).toBe(1);
    await store.close();
  });

  it("a sync that fails answers every piece of its group with the error, none with success", async () => {
    const db = _db();
    const real = createWalSync(db)!;
    const failing: WalSync = { deferCommit: () => { const settle = real.deferCommit(); return (committed) => settle(committed).then(() => Promise.reject(new Error("EIO: fsync failed"))); } };
    const { store } = _store(db, failing);
    const results = await Promise.allSettled([1, 2, 3].map((n) => store.transaction((tx) => tx.items.insert(n), SHARED)));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe("EIO: fsync failed");
    await store.close();
  });

  it("a transaction that only read starts no fsync and counts as no commit", async () => {
    const db = _db();
    const real = createWalSync(db)!;
    const wrote: boolean[] = [];
    const recording: WalSync = { deferCommit: () => { const settle = real.deferCommit(); return (committed, didWrite) => (wrote.push(didWrite ?? committed), settle(committed, didWrite)); } };
    const { store, commits } = _store(db, recording);
    expect(await store.transaction((tx) => tx.items.count())).toBe(0);
    expect(wrote).toEqual([false]);
    expect(commits.count).toBe(0);
    await store.transaction((tx) => tx.items.insert(1));
    expect(wrote).toEqual([false, true]);
    expect(commits.count).toBe(1);
    expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
    await store.close();
  });

  it("a commit that wrote nothing still waits for the sync on its way, since what it read may be that commit's", async () => {
    const db = _db();
    const walSync = createWalSync(db)!;
    const _commit = (sql: string, wrote: boolean) => {
      const settle = walSync.deferCommit();
      db.exec(`BEGIN IMMEDIATE; ${sql}; COMMIT`);
      return settle(true, wrote);
    };
    let firstDurable = false;
    void _commit("INSERT INTO items (n) VALUES (1)", true).then(() => (firstDurable = true));
    await _commit("SELECT count(*) FROM items", false);
    expect(firstDurable).toBe(true);
    db.close();
  });

  it("commits while a sync is in flight all wait for the next one, and all of them resolve", async () => {
    const db = _db();
    const { store } = _store(db);
    await Promise.all(Array.from({ length: 20 }, (_, n) => store.transaction((tx) => tx.items.insert(n))));
    expect(_items(db)).toHaveLength(20);
    await store.close();
  });

  it("is not used without a WAL or below FULL, and refuses to defer inside an open transaction", () => {
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
    expect(() => walSync.deferCommit()).toThrow(/already open/);
    db.exec("ROLLBACK");
    expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
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
