import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempHome } from "./support/temp-home.js";
import { openTestJournal } from "./support/open-test-journal.js";
import { verifyChain } from "../logs/verify-chain.js";

// The built module (npm test builds before vitest): its worker threads run the built worker file,
// which the TypeScript sources cannot be. A path in a variable, so typecheck (before the build) passes.
const BUILT = "../dist/logs/verify-chain.js";
const { verifyChainInParallel } = (await import(BUILT)) as typeof import("../logs/verify-chain.js");

/** 100 rows with the append-only triggers dropped, as an attacker with file access could. */
function seeded() {
  const { db, journal } = openTestJournal(makeTempHome());
  journal.appendMany(Array.from({ length: 100 }, (_, i) => ({ kind: "noticed" as const, summary: `event ${i + 1}`, data: { i } })));
  db.exec("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;");
  return db;
}

const inThreads = { threads: 4, minRows: 1 };

describe("verify in worker threads gives one thread's verdict", () => {
  it("an intact chain: every row, the head's seq and hash", async () => {
    // Built by npm test before vitest; without it the call would quietly fall back to one thread.
    expect(existsSync(new URL("../dist/logs/verify-range-worker.js", import.meta.url))).toBe(true);
    const db = seeded();
    const parallel = await verifyChainInParallel(db, inThreads);
    expect(parallel).toEqual(verifyChain(db));
    expect(parallel).toMatchObject({ ok: true, rows: 100, headSeq: 100 });
  });

  // Ranges of 25: 1–25, 26–50, 51–75, 76–100. Breaks inside a range, at a range's first row and at its last.
  for (const [what, seq, tamper, expected] of [
    ["an edited row inside a range", 40, "UPDATE journal SET summary = 'x' WHERE seq = ?", { seq: 40, reason: expect.stringMatching(/edited/) }],
    ["an edited first row of a range", 51, "UPDATE journal SET summary = 'x' WHERE seq = ?", { seq: 51 }],
    ["a replaced prevHash at a range's first row", 26, "UPDATE journal SET prev_hash = hash WHERE seq = ?", { seq: 26 }],
    ["a deleted last row of a range", 75, "DELETE FROM journal WHERE seq = ?", { seq: 75, reason: expect.stringMatching(/missing/) }],
    ["a deleted first row of a range", 76, "DELETE FROM journal WHERE seq = ?", { seq: 76, reason: expect.stringMatching(/missing/) }],
    ["a deleted first row of the chain", 1, "DELETE FROM journal WHERE seq = ?", { seq: 1, reason: expect.stringMatching(/missing/) }],
  ] as const) {
    it(`${what} (seq ${seq})`, async () => {
      const db = seeded();
      db.prepare(tamper).run(seq);
      const parallel = await verifyChainInParallel(db, inThreads);
      expect(parallel).toMatchObject({ ok: false, ...expected });
      expect(parallel).toMatchObject({ ok: false, seq: (verifyChain(db) as { seq: number }).seq });
    });
  }

  it("a row whose own hash was recomputed: the break shows at the next row, across a range boundary", async () => {
    const db = seeded();
    // Row 50 made self-consistent by hand is the end of range 2; row 51 (range 3) still names the old hash.
    const row = db.prepare("SELECT * FROM journal WHERE seq = 50").get() as { hash: string };
    db.prepare("UPDATE journal SET hash = ? WHERE seq = 50").run("f".repeat(64));
    expect(row.hash).not.toBe("f".repeat(64));
    const parallel = await verifyChainInParallel(db, inThreads);
    expect(parallel).toMatchObject({ ok: false, seq: 50 });
    db.prepare("UPDATE journal SET hash = ? WHERE seq = 50").run(row.hash);
    expect(await verifyChainInParallel(db, inThreads)).toMatchObject({ ok: true, rows: 100 });
  });
});
