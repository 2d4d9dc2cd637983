import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DatabaseVersionError, openDatabase } from "../daemon/store/open-database.js";
import { MIGRATIONS } from "../daemon/context/migrations.js";
import { makeTempHome } from "./support/temp-home.js";
import { createJournal } from "../logs/journal.js";
import { verifyChain } from "../logs/verify-chain.js";
import { searchRecall } from "../memory/search-recall.js";

describe("openDatabase", () => {
  it("creates the schema in WAL mode and records the version", () => {
    const file = path.join(makeTempHome(), "nested", "vigil.db");
    const db = openDatabase(file, MIGRATIONS);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(["events", "journal"]));
    db.close();
  });

  it("applies only the migrations a database lacks", () => {
    const file = path.join(makeTempHome(), "vigil.db");
    openDatabase(file, MIGRATIONS.slice(0, 1)).close();
    const db = openDatabase(file, MIGRATIONS);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
    expect(() => openDatabase(file, MIGRATIONS).close()).not.toThrow();
  });

  it("rebuilds a journal from before the task kind: every row, seq and hash kept, search still fed, task rows accepted", () => {
    const file = path.join(makeTempHome(), "vigil.db");
    const before = MIGRATIONS.slice(0, 7).map((m) => (m.version === 1 ? { ...m, sql: m.sql.replace(", 'task'", "") } : m));
    const old = openDatabase(file, before);
    expect(old.prepare("SELECT sql FROM sqlite_master WHERE name = 'journal'").pluck().get()).not.toContain("'task'");
    const oldJournal = createJournal({ db: old, timeZone: "UTC", redact: (value) => value });
    for (let i = 0; i < 5; i++) oldJournal.append({ kind: "system", summary: `before the upgrade ${i}`, data: { i } });
    const rows = old.prepare("SELECT * FROM journal ORDER BY seq").all();
    old.close();

    const db = openDatabase(file, MIGRATIONS);
    expect(db.prepare("SELECT * FROM journal ORDER BY seq").all()).toEqual(rows);
    createJournal({ db, timeZone: "UTC", redact: (value) => value }).append({ kind: "task", summary: "task #1 queued for app", data: { taskId: 1 } });
    expect(verifyChain(db)).toMatchObject({ ok: true });
    expect(searchRecall(db, "upgrade")).toHaveLength(5);
    expect(searchRecall(db, "queued")).toHaveLength(1);
    expect(() => db.prepare("DELETE FROM journal").run()).toThrow(/append-only/);
    db.close();
  });

  it("refuses a database from a newer Vigil instead of damaging it", () => {
    const file = path.join(makeTempHome(), "vigil.db");
    const raw = new Database(file);
    raw.pragma("user_version = 999");
    raw.close();
    expect(() => openDatabase(file, MIGRATIONS)).toThrow(DatabaseVersionError);
  });
});
