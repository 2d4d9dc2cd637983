import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../daemon/context/migrations.js";
import { createGroupCommit } from "../daemon/store/group-commit.js";
import { openDatabase } from "../daemon/store/open-database.js";
import { makeTempHome } from "./support/temp-home.js";

function _db() {
  const db = openDatabase(path.join(makeTempHome(), "vigil.db"), MIGRATIONS);
  db.exec("CREATE TABLE items (n INTEGER PRIMARY KEY)");
  return db;
}

describe("group commit", () => {
  it("work submitted together shares one transaction: every piece runs before any is answered, and all of it is committed", async () => {
    const db = _db();
    const group = createGroupCommit(db);
    const order: string[] = [];
    const done = Array.from({ length: 50 }, (_, n) =>
      group
        .submit(() => {
          order.push(`run ${n}`);
          expect(db.inTransaction).toBe(true);
          return db.prepare("INSERT INTO items (n) VALUES (?)").run(n).changes;
        })
        .then((changes) => order.push(`answered ${n} (${changes})`)),
    );
    await Promise.all(done);
    expect(order.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, n) => `run ${n}`));
    expect(order[50]).toBe("answered 0 (1)");
    expect(db.inTransaction).toBe(false);
    expect(db.prepare("SELECT count(*) FROM items").pluck().get()).toBe(50);
    db.close();
  });

  it("a piece that throws is rolled back alone and its caller gets the error; the rest commit", async () => {
    const db = _db();
    const group = createGroupCommit(db);
    const results = await Promise.allSettled([
      group.submit(() => db.prepare("INSERT INTO items (n) VALUES (1)").run()),
      group.submit(() => {
        db.prepare("INSERT INTO items (n) VALUES (2)").run();
        throw new Error("bad delivery");
      }),
      group.submit(() => db.prepare("INSERT INTO items (n) VALUES (3)").run()),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe("bad delivery");
    expect(db.prepare("SELECT n FROM items ORDER BY n").pluck().all()).toEqual([1, 3]);
    db.close();
  });

  it("a lone piece (nothing else on its way) commits before submit returns, without waiting a loop turn", async () => {
    const db = _db();
    const group = createGroupCommit(db);
    const answered = group.submit(() => db.prepare("INSERT INTO items (n) VALUES (7)").run().changes, { othersComing: false });
    // Committed already: another connection sees the row before any await.
    const other = new Database(db.name, { readonly: true });
    expect(other.prepare("SELECT n FROM items").pluck().all()).toEqual([7]);
    other.close();
    expect(await answered).toBe(1);
    db.close();
  });

  it("a commit that fails rejects every piece of its group, and none of it is kept", async () => {
    const db = _db();
    const group = createGroupCommit(db);
    // Another connection holds the write lock: BEGIN IMMEDIATE waits busy_timeout, then fails.
    db.pragma("busy_timeout = 50");
    const holder = new Database(db.name);
    holder.exec("BEGIN IMMEDIATE");
    const results = await Promise.allSettled([1, 2].map((n) => group.submit(() => db.prepare("INSERT INTO items (n) VALUES (?)").run(n))));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    holder.exec("ROLLBACK");
    holder.close();
    expect(db.prepare("SELECT count(*) FROM items").pluck().get()).toBe(0);
    db.close();
  });
});
