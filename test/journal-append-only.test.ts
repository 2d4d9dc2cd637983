import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { assert, describe, expect, it } from "vitest";
import { makeTempHome } from "./support/temp-home.js";
import { openTestJournal } from "./support/open-test-journal.js";
import { GENESIS_HASH } from "../logs/hash-entry.js";
import { verifyChain } from "../logs/verify-chain.js";

describe("journal append-only", () => {
  it("chains each row to the one before, starting from the genesis hash", () => {
    const { db, journal } = openTestJournal(makeTempHome());
    const [first, second] = journal.appendMany([
      { kind: "system", summary: "started" },
      { kind: "noticed", summary: "a file changed", data: { path: "a.txt" } },
    ]);
    expect(first!.seq).toBe(1);
    expect(first!.prevHash).toBe(GENESIS_HASH);
    expect(second!.prevHash).toBe(first!.hash);
    expect(second!.data).toEqual({ path: "a.txt" });
    expect(verifyChain(db)).toMatchObject({ ok: true, rows: 2, headSeq: 2, headHash: second!.hash });
  });

  it("refuses UPDATE and DELETE through raw SQL and leaves the rows unchanged", () => {
    const { db, journal } = openTestJournal(makeTempHome());
    journal.append({ kind: "noticed", summary: "original" });
    journal.append({ kind: "quiet", summary: "nothing to do" });
    const before = db.prepare("SELECT * FROM journal ORDER BY seq").all();

    expect(() => db.prepare("UPDATE journal SET summary = 'forged' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM journal WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM journal").run()).toThrow(/append-only/);

    expect(db.prepare("SELECT * FROM journal ORDER BY seq").all()).toEqual(before);
    expect(verifyChain(db).ok).toBe(true);
  });

  it("rejects a kind outside the contract", () => {
    const { journal } = openTestJournal(makeTempHome());
    expect(() => journal.append({ kind: "gossip" as never, summary: "x" })).toThrow(/CHECK constraint/);
  });

  it("redacts secrets from summaries and data before they are hashed and stored", () => {
    const secret = "s3cr3t-webhook-value";
    const { db, journal } = openTestJournal(makeTempHome(), { secrets: [secret] });
    journal.append({
      kind: "error",
      summary: `call failed with ${secret} and sk-ant-api03-abcdefghijklmnop`,
      data: { nested: { header: `Bearer ${secret}` }, list: [secret] },
    });
    const stored = JSON.stringify(db.prepare("SELECT * FROM journal").all());
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain("sk-ant-api03");
    expect(stored).toContain("[REDACTED]");
    expect(verifyChain(db).ok).toBe(true);
  });
});

describe("the daily Markdown is a rendering, not the record", () => {
  it("a day file that cannot be written loses no row, and the day is rebuilt once it can", () => {
    const home = makeTempHome();
    const dayFile = path.join(home, "logs", "2026", "11", "2026-11-23.md");
    const { db, journal } = openTestJournal(home, { now: () => new Date("2026-11-23T10:00:00Z") });
    mkdirSync(dayFile, { recursive: true }); // a directory where the file belongs: no one can append to it
    journal.append({ kind: "system", summary: "while the log folder is broken" });
    expect(verifyChain(db)).toMatchObject({ ok: true, rows: 1 });
    rmSync(dayFile, { recursive: true });
    journal.append({ kind: "system", summary: "after it is fixed" });
    const markdown = readFileSync(dayFile, "utf8");
    expect(markdown).toContain("while the log folder is broken `#1`");
    expect(markdown).toContain("after it is fixed `#2`");
  });

  it("a day file deleted, moved or replaced between appends is rebuilt whole at its place; the moved copy is not written to", () => {
    const home = makeTempHome();
    const dayFile = path.join(home, "logs", "2026", "11", "2026-11-23.md");
    const { journal } = openTestJournal(home, { now: () => new Date("2026-11-23T10:00:00Z") });
    journal.append({ kind: "system", summary: "one" });
    journal.append({ kind: "system", summary: "two" });
    expect(readFileSync(dayFile, "utf8").match(/^- /gm)).toHaveLength(2);

    rmSync(dayFile);
    journal.append({ kind: "system", summary: "three" });
    expect(readFileSync(dayFile, "utf8")).toMatch(/^# Vigil journal — 2026-11-23\n\n.*one `#1`\n.*two `#2`\n.*three `#3`\n$/s);

    const moved = path.join(home, "moved.md");
    renameSync(dayFile, moved);
    journal.append({ kind: "system", summary: "four" });
    expect(readFileSync(moved, "utf8")).not.toContain("four");
    expect(readFileSync(dayFile, "utf8").match(/^- /gm)).toHaveLength(4);

    writeFileSync(dayFile, "# replaced by an editor\n");
    journal.append({ kind: "system", summary: "five" });
    // A new file at the place (an editor's save): the next line goes into it, after what the user wrote.
    expect(readFileSync(dayFile, "utf8")).toMatch(/^# replaced by an editor\n- [^\n]*five `#5`\n$/);
  });

  it("holdRendering writes a group's lines at its end, leaves out rows a savepoint rolled back, and writes nothing when the group throws", () => {
    const home = makeTempHome();
    const dayFile = path.join(home, "logs", "2026", "11", "2026-11-23.md");
    const { db, journal } = openTestJournal(home, { now: () => new Date("2026-11-23T10:00:00Z") });
    journal.append({ kind: "system", summary: "before" });
    const lines = () => readFileSync(dayFile, "utf8").match(/^- .*$/gm)!.map((line) => line.replace(/^- \S+ /, ""));
    const release = journal.holdRendering();
    db.transaction(() => {
      journal.append({ kind: "system", summary: "kept" });
      expect(lines()).toEqual(["**system** before `#1`"]); // not yet: at the group's end
      try {
        db.transaction(() => {
          journal.append({ kind: "system", summary: "rolled back" });
          throw new Error("bad delivery");
        })();
      } catch {
        // the delivery's savepoint is undone; its seq is taken by the next row
      }
      journal.append({ kind: "system", summary: "also kept" });
    }).immediate();
    release(true);
    expect(lines()).toEqual(["**system** before `#1`", "**system** kept `#2`", "**system** also kept `#3`"]);

    const dropped = journal.holdRendering();
    expect(() => db.transaction(() => (journal.append({ kind: "system", summary: "lost with its group" }), assert.fail("boom")))()).toThrow("boom");
    dropped(false);
    expect(lines()).toHaveLength(3);
    expect(verifyChain(db)).toMatchObject({ ok: true, rows: 3 });
  });
});
