import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { postgresStoreTx, sqliteStoreTx, type StoreTx } from "../../daemon/context/store-tx.js";
import { createEventQueue, type NewEvent } from "../../daemon/events/event-queue.js";
import { noticeEventIn } from "../../daemon/events/notice-event.js";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { createPostgresStore } from "../../daemon/store/postgres/create-postgres-store.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import { verifyPostgresChain } from "../../daemon/store/postgres/verify-postgres-chain.js";
import { createSqliteStore, StoreRuleError } from "../../daemon/store/sqlite/create-sqlite-store.js";
import type { VigilStore } from "../../daemon/store/vigil-store.js";
import { verifyChain, type ChainVerdict } from "../../logs/verify-chain.js";
import { openTestJournal } from "../support/open-test-journal.js";
import { openTestPostgresJournal } from "../support/open-test-postgres-journal.js";
import { checkPostgresTools, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster.js";
import { makeTempHome } from "../support/temp-home.js";

/** A store on one engine, and what is in it, read behind the port's back. */
interface EngineStore {
  store: VigilStore<StoreTx>;
  /** Another node's store on the same data (PostgreSQL); SQLite has one writer process. */
  second?: VigilStore<StoreTx>;
  events(): Promise<Array<{ id: number; dedupe_key: string; summary: string }>>;
  journal(): Promise<Array<{ seq: number; summary: string; data: string }>>;
  verify(): Promise<ChainVerdict>;
  /** Today's Markdown, where the engine renders it ("" when none). */
  markdown(): string;
}

const gate = checkPostgresTools();
let cluster: PostgresCluster | undefined;
const closers: Array<() => Promise<void>> = [];
const redact = createRedactor(["sekret-value-123"]);

const ENGINES: Array<{ name: string; skip: boolean; open: () => Promise<EngineStore> }> = [
  {
    name: "sqlite",
    skip: false,
    open: async () => {
      const home = makeTempHome();
      const { db, journal } = openTestJournal(home, { secrets: ["sekret-value-123"] });
      const events = createEventQueue({ db, redact });
      const store = createSqliteStore(db, sqliteStoreTx({ events, journal }), { hold: journal.holdRendering });
      closers.push(() => store.close());
      const logs = path.join(home, "logs");
      return {
        store,
        events: async () => db.prepare("SELECT id, dedupe_key, summary FROM events ORDER BY id").all() as never,
        journal: async () => db.prepare("SELECT seq, summary, data FROM journal ORDER BY seq").all() as never,
        verify: async () => verifyChain(db),
        markdown: () => (existsSync(logs) ? (readdirSync(logs, { recursive: true }) as string[]).filter((file) => file.endsWith(".md")).map((file) => readFileSync(path.join(logs, file), "utf8")).join("") : ""),
      };
    },
  },
  {
    name: gate.title("postgres"),
    skip: gate.skip,
    open: async () => {
      const pg = await openTestPostgresJournal(cluster!);
      const other = await openPostgresPool({ url: pg.url, role: POSTGRES_RUNTIME_ROLE, max: 4 });
      const tx = (client: Parameters<typeof postgresStoreTx>[0]) => postgresStoreTx(client, { timeZone: "UTC", redact, now: () => new Date() });
      const store = createPostgresStore(pg.runtime, tx);
      const second = createPostgresStore(other, tx);
      closers.push(async () => {
        await second.close();
        await pg.close();
      });
      const rows = async (sql: string) => (await pg.owner.query(sql)).rows.map((row) => ({ ...row, ...("id" in row ? { id: Number(row.id) } : {}), ...("seq" in row ? { seq: Number(row.seq) } : {}) }));
      return {
        store,
        second,
        events: () => rows("SELECT id, dedupe_key, summary FROM vigil.events ORDER BY id") as never,
        journal: () => rows("SELECT seq, summary, data FROM vigil.journal ORDER BY seq") as never,
        verify: () => verifyPostgresChain(pg.owner),
        markdown: () => "",
      };
    },
  },
];

beforeAll(async () => {
  if (gate.skip) return;
  gate.assertPresent();
  cluster = await startPostgresCluster();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
afterAll(async () => {
  await cluster?.stop();
});

const event = (key: string, summary = `change ${key}`): NewEvent => ({ source: "github", type: "pull_request.opened", dedupeKey: key, trust: "untrusted", summary, payload: { repo: "octo/app", number: 1 } });

describe.each(ENGINES)("the store port on $name", ({ name, skip, open }) => {
  it.skipIf(skip)("notices an event in one transaction: queued and journaled together, a repeated key neither, secrets redacted", async () => {
    const engine = await open();
    const first = await engine.store.transaction((tx) => noticeEventIn(tx, event("pr-1", "opened with sekret-value-123 inside")));
    const again = await engine.store.transaction((tx) => noticeEventIn(tx, event("pr-1")));
    expect(first.inserted).toBe(true);
    expect(again).toEqual({ id: first.id, inserted: false });
    const events = await engine.events();
    expect(events).toEqual([{ id: first.id, dedupe_key: "pr-1", summary: "opened with [REDACTED] inside" }]);
    const rows = await engine.journal();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.summary).toBe("github/pull_request.opened: opened with [REDACTED] inside");
    expect(JSON.parse(rows[0]!.data)).toMatchObject({ eventId: first.id, source: "github" });
    expect((await engine.verify()).ok).toBe(true);
  });

  it.skipIf(skip)("a throw after the event was queued and journaled rolls both back, Markdown included", async () => {
    const engine = await open();
    await engine.store.transaction((tx) => noticeEventIn(tx, event("kept")));
    await expect(
      engine.store.transaction(async (tx) => {
        await noticeEventIn(tx, event("lost", "the change that never happened"));
        throw new Error("the turn failed after noticing");
      }),
    ).rejects.toThrow("the turn failed after noticing");
    expect((await engine.events()).map((row) => row.dedupe_key)).toEqual(["kept"]);
    expect((await engine.journal()).map((row) => row.seq)).toEqual([1]);
    expect(engine.markdown()).not.toContain("the change that never happened");
    if (name === "sqlite") expect(engine.markdown()).toContain("change kept");
    // The next append takes seq 2, as if the rolled-back one never was.
    await engine.store.transaction((tx) => noticeEventIn(tx, event("next")));
    expect((await engine.journal()).map((row) => row.seq)).toEqual([1, 2]);
    expect((await engine.verify()).ok).toBe(true);
  });

  it.skipIf(skip)("forty transactions at once: every event once, one linear chain", async () => {
    const engine = await open();
    const stores = engine.second ? [engine.store, engine.second] : [engine.store];
    await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % stores.length]!.transaction((tx) => noticeEventIn(tx, event(`burst-${i}`)))));
    expect(await engine.events()).toHaveLength(40);
    expect((await engine.journal()).map((row) => row.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await engine.verify()).toMatchObject({ ok: true, rows: 40 });
  });
});

describe("the store port's rules on SQLite", () => {
  it("a transaction that awaits anything but the store is rolled back and named", async () => {
    const engine = await ENGINES[0]!.open();
    await expect(
      engine.store.transaction(async (tx) => {
        await noticeEventIn(tx, event("slow"));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }),
    ).rejects.toThrow(StoreRuleError);
    expect(await engine.events()).toEqual([]);
    expect(await engine.journal()).toEqual([]);
    // The store goes on working.
    await engine.store.transaction((tx) => noticeEventIn(tx, event("after")));
    expect(await engine.events()).toHaveLength(1);
  });

  it("a transaction asked for inside another's work is refused instead of waiting for itself", async () => {
    const engine = await ENGINES[0]!.open();
    await expect(engine.store.transaction(() => engine.store.transaction((tx) => noticeEventIn(tx, event("nested"))))).rejects.toThrow(StoreRuleError);
    expect(await engine.events()).toEqual([]);
  });
});

describe.skipIf(gate.skip)(gate.title("the store port on PostgreSQL, two nodes"), () => {
  it("the same event reaching both nodes at once is queued and journaled once", async () => {
    const engine = await ENGINES[1]!.open();
    for (let i = 0; i < 20; i++) {
      const both = await Promise.all([engine.store, engine.second!].map((store) => store.transaction((tx) => noticeEventIn(tx, event(`redelivered-${i}`)))));
      expect(both.filter((result) => result.inserted)).toHaveLength(1);
      expect(both[0]!.id).toBe(both[1]!.id);
    }
    expect(await engine.events()).toHaveLength(20);
    expect(await engine.journal()).toHaveLength(20);
    expect((await engine.verify()).ok).toBe(true);
  });
});
