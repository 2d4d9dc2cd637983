import { describe, expect, it } from "vitest";
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
