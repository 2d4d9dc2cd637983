import { describe, expect, it } from "vitest";
import type Database from "better-sqlite3";
import { makeTempHome } from "./support/temp-home.js";
import { openTestJournal } from "./support/open-test-journal.js";
import { cleanEnv, runVigil } from "./support/run-vigil.js";
import { hashEntry } from "../logs/hash-entry.js";
import { verifyChain } from "../logs/verify-chain.js";

/** A journal of ten rows, with the append-only triggers dropped as an attacker with file access could. */
function seededWithoutTriggers() {
  const home = makeTempHome();
  const { db, journal } = openTestJournal(home);
  for (let i = 1; i <= 10; i++) journal.append({ kind: "noticed", summary: `event ${i}`, data: { i } });
  db.exec("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;");
  return { home, db };
}

function rowAt(db: Database.Database, seq: number) {
  return db.prepare("SELECT * FROM journal WHERE seq = ?").get(seq) as Record<string, string | number>;
}

describe("vigil log verify finds tampering at the right seq", () => {
  it("an edited summary", () => {
    const { home, db } = seededWithoutTriggers();
    db.prepare("UPDATE journal SET summary = 'nothing happened' WHERE seq = 4").run();
    expect(verifyChain(db)).toMatchObject({ ok: false, seq: 4, reason: expect.stringMatching(/edited/) });
    db.close();
    const result = runVigil(["log", "verify"], cleanEnv(home));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("broken at seq 4");
  });

  it("an edited row whose own hash was recomputed to match", () => {
    const { db } = seededWithoutTriggers();
    const row = rowAt(db, 6);
    const hash = hashEntry({
      seq: 6,
      ts: row.ts as string,
      day: row.day as string,
      kind: row.kind as string,
      summary: "forged",
      data: row.data as string,
      prevHash: row.prev_hash as string,
    });
    db.prepare("UPDATE journal SET summary = 'forged', hash = ? WHERE seq = 6").run(hash);
    // Row 6 is now self-consistent; the break shows at 7, whose prevHash still names the old row 6.
    expect(verifyChain(db)).toMatchObject({ ok: false, seq: 7 });
  });

  it("a deleted row", () => {
    const { home, db } = seededWithoutTriggers();
    db.prepare("DELETE FROM journal WHERE seq = 5").run();
    expect(verifyChain(db)).toMatchObject({ ok: false, seq: 5, reason: expect.stringMatching(/missing/) });
    db.close();
    const result = runVigil(["log", "verify", "--json"], cleanEnv(home));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, seq: 5 });
  });

  it("two rows swapped", () => {
    const { db } = seededWithoutTriggers();
    const three = rowAt(db, 3);
    const four = rowAt(db, 4);
    const swap = db.prepare("UPDATE journal SET ts=@ts, day=@day, kind=@kind, summary=@summary, data=@data, prev_hash=@prev_hash, hash=@hash WHERE seq=@target");
    swap.run({ ...four, target: 3 });
    swap.run({ ...three, target: 4 });
    expect(verifyChain(db)).toMatchObject({ ok: false, seq: 3 });
  });

  it("an inserted row", () => {
    const { db } = seededWithoutTriggers();
    // Shift rows 8..10 up by one to make room, then insert a forged row 8 chained to row 7.
    for (const seq of [10, 9, 8]) db.prepare("UPDATE journal SET seq = seq + 1 WHERE seq = ?").run(seq);
    const seven = rowAt(db, 7);
    const forged = { seq: 8, ts: seven.ts as string, day: seven.day as string, kind: "noticed", summary: "planted", data: "{}", prevHash: seven.hash as string };
    db.prepare("INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(8, forged.ts, forged.day, forged.kind, forged.summary, forged.data, forged.prevHash, hashEntry(forged));
    expect(verifyChain(db)).toMatchObject({ ok: false, seq: 9 });
  });

  it("an intact journal verifies with exit 0", () => {
    const { home, db } = seededWithoutTriggers();
    db.close();
    const result = runVigil(["log", "verify"], cleanEnv(home));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("10 rows");
  });
});
