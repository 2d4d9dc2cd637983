import { describe, expect, it } from "vitest";
import { verifyPostgresChain } from "../../daemon/store/postgres/verify-postgres-chain.js";
import { canonicalJson } from "../../logs/canonical-json.js";
import { GENESIS_HASH, hashEntry } from "../../logs/hash-entry.js";
import type { JournalEntry } from "../../logs/journal-entry.js";
import type { JournalInput } from "../../logs/journal-entry.js";
import { verifyChain, type ChainVerdict } from "../../logs/verify-chain.js";
import { openTestJournal } from "../support/open-test-journal.js";
import { openTestPostgresJournal } from "../support/open-test-postgres-journal.js";
import { usePostgresCluster } from "../support/use-postgres-cluster.js";
import { makeTempHome } from "../support/temp-home.js";

/** The journal as both engines offer it, SQLite's wrapped in promises. */
interface EngineJournal {
  append(input: JournalInput): Promise<JournalEntry>;
  appendMany(inputs: readonly JournalInput[]): Promise<JournalEntry[]>;
  listDay(day: string): Promise<JournalEntry[]>;
  verify(): Promise<ChainVerdict>;
  /** Every stored row, `data` as its stored text. */
  storedRows(): Promise<Array<{ seq: number; ts: string; day: string; kind: string; summary: string; data: string; prev_hash: string; hash: string }>>;
}

interface OpenOptions {
  secrets?: string[];
  now?: () => Date;
  timeZone?: string;
}

const { gate, cluster, closeAfterTest } = usePostgresCluster();

const ENGINES: Array<{ name: string; skip: boolean; open: (options: OpenOptions) => Promise<EngineJournal> }> = [
  {
    name: "sqlite",
    skip: false,
    open: async (options) => {
      const { db, journal } = openTestJournal(makeTempHome(), options);
      closeAfterTest(async () => {
        db.close();
      });
      return {
        append: async (input) => journal.append(input),
        appendMany: async (inputs) => journal.appendMany(inputs),
        listDay: async (day) => journal.listDay(day),
        verify: async () => verifyChain(db),
        storedRows: async () => db.prepare("SELECT * FROM journal ORDER BY seq").all() as never,
      };
    },
  },
  {
    name: gate.title("postgres"),
    skip: gate.skip,
    open: async (options) => {
      const store = await openTestPostgresJournal(cluster(), options);
      closeAfterTest(store.close);
      return {
        ...store.journal,
        verify: () => verifyPostgresChain(store.owner),
        storedRows: async () => (await store.owner.query("SELECT * FROM vigil.journal ORDER BY seq")).rows.map((row) => ({ ...row, seq: Number(row.seq) })),
      };
    },
  },
];


/** A clock that moves one minute per reading from `start`. */
function minuteClock(start: string): () => Date {
  let at = Date.parse(start);
  return () => new Date((at += 60_000) - 60_000);
}

describe.each(ENGINES)("the journal's contract on $name", ({ skip, open }) => {
  describe.skipIf(skip)("", () => {
    it("an empty journal verifies, from the genesis hash", async () => {
      const journal = await open({});
      expect(await journal.appendMany([])).toEqual([]);
      expect(await journal.verify()).toEqual({ ok: true, rows: 0, headSeq: 0, headHash: GENESIS_HASH });
    });

    it("appends consecutive seqs chained from the genesis hash, each hashed as logs/hash-entry.ts hashes it", async () => {
      const journal = await open({ now: minuteClock("2026-05-01T10:00:00Z") });
      const first = await journal.append({ kind: "system", summary: "started" });
      const batch = await journal.appendMany([
        { kind: "noticed", summary: "a file changed", data: { path: "a.txt" } },
        { kind: "decided", summary: "worth a look", data: { reason: "tests" } },
        { kind: "acted", summary: "notified", data: { tool: "notify" } },
      ]);
      const entries = [first, ...batch];
      expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
      expect(entries.map((entry) => entry.prevHash)).toEqual([GENESIS_HASH, ...entries.slice(0, -1).map((entry) => entry.hash)]);
      const stored = await journal.storedRows();
      expect(stored.map((row) => row.hash)).toEqual(entries.map((entry) => entry.hash));
      for (const row of stored) expect(row.hash).toBe(hashEntry({ ...row, prevHash: row.prev_hash }));
      expect(await journal.verify()).toEqual({ ok: true, rows: 4, headSeq: 4, headHash: entries[3]!.hash });
    });

    it("returns entries with exactly the keys of `vigil log --json`, data in canonical form", async () => {
      const journal = await open({ now: () => new Date("2026-05-01T10:00:00.250Z") });
      const entry = await journal.append({ kind: "noticed", summary: "shape", data: { zeta: 1, alpha: { b: [2, { d: 1, c: undefined }], a: null }, gone: undefined } });
      expect(Object.keys(entry)).toEqual(["seq", "ts", "day", "kind", "summary", "data", "prevHash", "hash"]);
      expect(entry).toMatchObject({ seq: 1, ts: "2026-05-01T10:00:00.250Z", day: "2026-05-01", kind: "noticed", summary: "shape" });
      expect(entry.data).toEqual({ alpha: { a: null, b: [2, { d: 1 }] }, zeta: 1 });
      expect((await journal.storedRows())[0]!.data).toBe(canonicalJson(entry.data));
    });

    it("redacts secrets in the summary and anywhere in the data before hashing and storing", async () => {
      const secret = "s3cr3t-webhook-value";
      const journal = await open({ secrets: [secret] });
      const entry = await journal.append({ kind: "error", summary: `failed with ${secret} and sk-ant-api03-abcdefghijklmnop`, data: { nested: { header: `Bearer ${secret}` }, list: [secret] } });
      expect(entry.summary).toBe("failed with [REDACTED] and [REDACTED]");
      expect(entry.data).toEqual({ list: ["[REDACTED]"], nested: { header: "Bearer [REDACTED]" } });
      const stored = JSON.stringify(await journal.storedRows());
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain("sk-ant-api03");
      expect((await journal.verify()).ok).toBe(true);
    });

    it("files rows under the local day of the journal's time zone, and lists a day in seq order", async () => {
      // Berlin is UTC+2 in May: rows a minute apart from 21:59:30 UTC cross its midnight after the first.
      let at = Date.parse("2026-04-30T21:58:30Z");
      const journal = await open({ timeZone: "Europe/Berlin", now: () => new Date((at += 60_000)) });
      await journal.appendMany(Array.from({ length: 3 }, (_, i) => ({ kind: "noticed" as const, summary: `first night ${i}` })));
      at = Date.parse("2026-05-01T21:58:30Z");
      await journal.appendMany(Array.from({ length: 4 }, (_, i) => ({ kind: "noticed" as const, summary: `second night ${i}` })));
      const aprilLast = await journal.listDay("2026-04-30");
      const mayFirst = await journal.listDay("2026-05-01");
      const maySecond = await journal.listDay("2026-05-02");
      expect(aprilLast.map((entry) => [entry.seq, entry.summary])).toEqual([[1, "first night 0"]]);
      expect(mayFirst.map((entry) => [entry.seq, entry.summary])).toEqual([
        [2, "first night 1"],
        [3, "first night 2"],
        [4, "second night 0"],
      ]);
      expect(maySecond.map((entry) => [entry.seq, entry.summary])).toEqual([
        [5, "second night 1"],
        [6, "second night 2"],
        [7, "second night 3"],
      ]);
      expect(await journal.listDay("2026-05-03")).toEqual([]);
      expect([...aprilLast, ...mayFirst, ...maySecond].map((entry) => entry.hash)).toEqual((await journal.storedRows()).map((row) => row.hash));
    });

    it("stores a summary with NUL or a lone surrogate half as U+FFFD, hashed as stored, so the chain verifies", async () => {
      const journal = await open({});
      const entries = await journal.appendMany([
        { kind: "noticed", summary: "nul \u0000 here", data: { text: "nul \u0000 kept in data" } },
        { kind: "noticed", summary: "lone \ud800 high, lone \udc00 low, pair 🦉", data: { text: "\ud800" } },
      ]);
      expect(entries.map((entry) => entry.summary)).toEqual(["nul \ufffd here", "lone \ufffd high, lone \ufffd low, pair 🦉"]);
      expect(entries.map((entry) => entry.data.text)).toEqual(["nul \u0000 kept in data", "\ud800"]);
      expect((await journal.storedRows()).map((row) => row.summary)).toEqual(entries.map((entry) => entry.summary));
      expect(await journal.verify()).toMatchObject({ ok: true, rows: 2 });
    });

    it("refuses a kind outside the contract, and a batch holding one appends none of it", async () => {
      const journal = await open({});
      await expect(journal.append({ kind: "gossip" as never, summary: "x" })).rejects.toThrow(/check constraint/i);
      await expect(journal.appendMany([{ kind: "noticed", summary: "ok" }, { kind: "gossip" as never, summary: "x" }])).rejects.toThrow(/check constraint/i);
      expect(await journal.storedRows()).toEqual([]);
      expect((await journal.append({ kind: "noticed", summary: "first" })).seq).toBe(1);
    });
  });
});

describe.skipIf(gate.skip)(gate.title("both engines"), () => {
  it("write the same rows, hashes included, for the same inputs at the same instants", async () => {
    const inputs: JournalInput[] = [
      { kind: "system", summary: "started", data: { pid: 1 } },
      { kind: "noticed", summary: 'quote " backslash \\ newline \n tab \t bell \u0007 sep \u2028 owl 🦉', data: { z: "last", a: ["\u0001", "é"] } },
      { kind: "quiet", summary: "nothing to do" },
    ];
    const [sqlite, postgres] = await Promise.all(ENGINES.map((engine) => engine.open({ timeZone: "America/New_York", now: minuteClock("2026-11-01T05:30:00Z") })));
    const fromSqlite = await sqlite!.appendMany(inputs);
    const fromPostgres = await postgres!.appendMany(inputs);
    expect(fromPostgres).toEqual(fromSqlite);
    expect(await postgres!.storedRows()).toEqual(await sqlite!.storedRows());
  });
});
