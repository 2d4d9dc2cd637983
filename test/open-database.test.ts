import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DatabaseVersionError, openDatabase } from "../daemon/store/open-database.js";
import { MIGRATIONS } from "../daemon/context/migrations.js";
import { makeTempHome } from "./support/temp-home.js";

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

  it("refuses a database from a newer Vigil instead of damaging it", () => {
    const file = path.join(makeTempHome(), "vigil.db");
    const raw = new Database(file);
    raw.pragma("user_version = 999");
    raw.close();
    expect(() => openDatabase(file, MIGRATIONS)).toThrow(DatabaseVersionError);
  });
});
