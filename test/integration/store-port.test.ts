import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { postgresStoreTx, sqliteStoreTx, type StoreTx } from "../../daemon/context/store-tx.js";
import { startTurnRecordIn } from "../../daemon/brain/turn-record.js";
import { createTurnRows } from "../../daemon/brain/turn-rows.js";
import { createUsageLedger } from "../../daemon/brain/usage-ledger.js";
import { createActionRows, newActionRow } from "../../daemon/tools/action-ledger.js";
import { APPROVAL_TTL_MS, createApprovalQueue } from "../../daemon/policy/approvals.js";
import { createDaemonState } from "../../daemon/state/daemon-state.js";
import { createSubscriptionStore } from "../../daemon/github/subscriptions.js";
import { createWebhookDeliveries } from "../../daemon/http/webhook-deliveries.js";
import { takeInDeliveryIn } from "../../daemon/http/take-in-delivery-in.js";
import { githubExamples } from "../support/github-examples.js";
import { createRecallSearch } from "../../memory/search-recall.js";
import { createPollCache } from "../../daemon/github/poll/poll-cache.js";
import { createTranscriptRows, renderTranscript } from "../../memory/transcripts.js";
import { queryWords } from "../../memory/quote-fts-query.js";
import { POSTGRES_APPROVAL_TTL_MS } from "../../daemon/store/postgres/create-postgres-approvals.js";
import { createEventQueue, type NewEvent } from "../../daemon/events/event-queue.js";
import { noticeEventIn } from "../../daemon/events/notice-event.js";
import { claimBatchIn } from "../../daemon/events/claim-batch.js";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { createPostgresStore } from "../../daemon/store/postgres/create-postgres-store.js";
import { LeaseLostError, type PostgresNode } from "../../daemon/store/postgres/create-postgres-turn-queue.js";
import { startPostgresNode } from "../../daemon/store/postgres/start-postgres-node.js";
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
  /** A table's rows behind the port's back, first column first; PostgreSQL's bigint counts as numbers. */
  table(name: "turns" | "usage"): Promise<Array<Record<string, unknown>>>;
  /** Today's Markdown, where the engine renders it ("" when none). */
  markdown(): string;
}

const gate = checkPostgresTools();
let cluster: PostgresCluster | undefined;
const closers: Array<() => Promise<void>> = [];
const redact = createRedactor(["sekret-value-123"]);

const ENGINES: Array<{ name: string; skip: boolean; open: (options?: { leaseTtlMs?: number }) => Promise<EngineStore> }> = [
  {
    name: "sqlite",
    skip: false,
    open: async () => {
      const home = makeTempHome();
      const { db, journal } = openTestJournal(home, { secrets: ["sekret-value-123"] });
      const events = createEventQueue({ db, redact });
      const store = createSqliteStore(db, sqliteStoreTx({ events, journal, turns: createTurnRows(db), usage: createUsageLedger(db), actions: createActionRows(db), approvals: createApprovalQueue(db), state: createDaemonState(db), subscriptions: createSubscriptionStore(db), deliveries: createWebhookDeliveries(db), recall: createRecallSearch(db), transcripts: createTranscriptRows(db), pollCache: createPollCache(db) }), { hold: journal.holdRendering });
      closers.push(() => store.close());
      const logs = path.join(home, "logs");
      return {
        store,
        events: async () => db.prepare("SELECT id, dedupe_key, summary FROM events ORDER BY id").all() as never,
        journal: async () => db.prepare("SELECT seq, summary, data FROM journal ORDER BY seq").all() as never,
        verify: async () => verifyChain(db),
        table: async (name) => db.prepare(`SELECT * FROM ${name} ORDER BY 1`).all() as never,
        markdown: () => (existsSync(logs) ? (readdirSync(logs, { recursive: true }) as string[]).filter((file) => file.endsWith(".md")).map((file) => readFileSync(path.join(logs, file), "utf8")).join("") : ""),
      };
    },
  },
  {
    name: gate.title("postgres"),
    skip: gate.skip,
    open: async ({ leaseTtlMs = 30_000 } = {}) => {
      const pg = await openTestPostgresJournal(cluster!);
      const other = await openPostgresPool({ url: pg.url, role: POSTGRES_RUNTIME_ROLE, max: 4 });
      const [node, otherNode] = [await startPostgresNode(pg.runtime, { version: "test", leaseTtlMs }), await startPostgresNode(other, { version: "test", leaseTtlMs })];
      const tx = (as: PostgresNode) => (client: Parameters<typeof postgresStoreTx>[0], afterCommit: (change: () => void) => void) => postgresStoreTx(client, { timeZone: "UTC", redact, now: () => new Date(), node: as, afterCommit });
      const store = createPostgresStore(pg.runtime, tx(node));
      const second = createPostgresStore(other, tx(otherNode));
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
        table: async (name) => (await pg.owner.query(`SELECT * FROM vigil.${name} ORDER BY 1`)).rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === "string" && /^\d+$/.test(value) && key !== "id" ? Number(value) : value]))),
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

  it.skipIf(skip)("a turn claims its batch, and its decision marks the events done in the transaction that journals it", async () => {
    const engine = await open();
    for (const key of ["a", "b", "c"]) await engine.store.transaction((tx) => noticeEventIn(tx, event(key)));
    await engine.store.transaction((tx) => noticeEventIn(tx, { ...event("now"), urgent: true }));
    const claimed = await engine.store.transaction((tx) => tx.queue.claim("turn-1"));
    expect(claimed.map((queued) => queued.summary)).toEqual(["change now", "change a", "change b", "change c"]);
    expect(claimed[0]).toMatchObject({ source: "github", trust: "untrusted", urgent: true, payload: { repo: "octo/app", number: 1 }, previousTurns: [], failures: 0 });
    expect(await engine.store.transaction((tx) => tx.queue.countPending())).toBe(4);
    await expect(
      engine.store.transaction(async (tx) => {
        await tx.queue.complete("turn-1", new Date());
        throw new Error("the decision could not be journaled");
      }),
    ).rejects.toThrow();
    expect(await engine.store.transaction((tx) => tx.queue.countPending())).toBe(4);
    const done = await engine.store.transaction(async (tx) => {
      const consumed = await tx.queue.complete("turn-1", new Date());
      await tx.journal.append({ kind: "quiet", summary: "nothing to do", data: { turnId: "turn-1", events: consumed } });
      return consumed;
    });
    expect(done).toBe(4);
    expect(await engine.store.transaction((tx) => tx.queue.countPending())).toBe(0);
    expect(await engine.store.transaction((tx) => tx.queue.claim("turn-2"))).toEqual([]);
  });

  it.skipIf(skip)("a failed turn hands its events back with its id remembered; blamed again, an event is quarantined; unclaim is untouched", async () => {
    const engine = await open();
    await engine.store.transaction((tx) => noticeEventIn(tx, event("bad")));
    await engine.store.transaction((tx) => tx.queue.claim("turn-1"));
    expect(await engine.store.transaction((tx) => tx.queue.release("turn-1", { blame: true, quarantineAfter: 2 }))).toEqual({ released: 1, quarantined: [] });
    const again = await engine.store.transaction((tx) => tx.queue.claim("turn-2"));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ previousTurns: ["turn-1"], failures: 1 });
    const second = await engine.store.transaction((tx) => tx.queue.release("turn-2", { blame: true, quarantineAfter: 2 }));
    expect(second.released).toBe(0);
    expect(second.quarantined.map((queued) => [queued.summary, queued.failures])).toEqual([["change bad", 2]]);
    expect(await engine.store.transaction((tx) => tx.queue.countPending())).toBe(0);

    await engine.store.transaction((tx) => noticeEventIn(tx, event("retry-smaller")));
    await engine.store.transaction((tx) => tx.queue.claim("turn-3"));
    expect(await engine.store.transaction((tx) => tx.queue.unclaim("turn-3"))).toBe(1);
    expect((await engine.store.transaction((tx) => tx.queue.claim("turn-4")))[0]).toMatchObject({ summary: "change retry-smaller", previousTurns: [], failures: 0 });
  });

  it.skipIf(skip)("a turn's record: its row, its usage by day and model, and a decision that closes it with its events in one transaction", async () => {
    const engine = await open();
    const at = () => new Date("2026-12-02T10:00:00.000Z");
    await engine.store.transaction((tx) => noticeEventIn(tx, event("review")));
    await engine.store.transaction((tx) => tx.queue.claim("turn-1"));
    const record = await startTurnRecordIn(engine.store, { timeZone: "UTC", now: at }, "turn-1", "event");
    const reply = { usage: { input_tokens: 1200, output_tokens: 80, cache_read_input_tokens: 900, cache_creation_input_tokens: 0 } } as never;
    await record.countUsage("claude-haiku-5-5", reply);
    await record.countUsage("claude-haiku-5-5", reply);
    await record.finish("decided", "commented on the review", { actions: ["github_comment"] });
    expect(await engine.table("turns")).toEqual([{ id: "turn-1", reason: "event", started_at: at().toISOString(), ended_at: at().toISOString(), outcome: "acted" }]);
    expect(await engine.table("usage")).toEqual([{ day: "2026-12-02", model: "claude-haiku-5-5", calls: 2, input: 2400, output: 160, cache_read: 1800, cache_write: 0 }]);
    expect(await engine.store.transaction((tx) => tx.usage.forDay("2026-12-02"))).toEqual({ calls: 2, input: 2400, output: 160, cacheRead: 1800, cacheWrite: 0 });
    const decision = (await engine.journal()).at(-1)!;
    expect(decision.summary).toBe("commented on the review");
    expect(JSON.parse(decision.data)).toMatchObject({ turnId: "turn-1", reason: "event", events: 1, usage: { calls: 2, input: 2400 }, actions: ["github_comment"] });
    expect(await engine.store.transaction((tx) => tx.queue.countPending())).toBe(0);
  });

  it.skipIf(skip)("a failed turn's record hands its events back, journals the quarantined ones, and closes as failed", async () => {
    const engine = await open();
    await engine.store.transaction((tx) => noticeEventIn(tx, event("poison")));
    for (const turn of ["turn-1", "turn-2"]) {
      await engine.store.transaction((tx) => tx.queue.claim(turn));
      const record = await startTurnRecordIn(engine.store, { timeZone: "UTC", now: () => new Date() }, turn, "event");
      expect(await record.fail({ blame: true, quarantineAfter: 2, error: new Error("the model refused the request") })).toBe(turn === "turn-2" ? 1 : 0);
    }
    expect((await engine.table("turns")).map((row) => [row.id, row.outcome])).toEqual([["turn-1", "failed"], ["turn-2", "failed"]]);
    const quarantine = (await engine.journal()).at(-1)!;
    expect(quarantine.summary).toMatch(/^event #\d+ quarantined after 2 failed turns in a row: github\/pull_request.opened: change poison$/);
    expect(JSON.parse(quarantine.data)).toMatchObject({ event: "event-quarantined", turnId: "turn-2", error: "the model refused the request" });
  });

  it.skipIf(skip)("the ledger: an action started in a turn that never finished is a repeat for the next turn, and interruption marks only the turns named", async () => {
    const engine = await open();
    const at = new Date("2026-12-02T10:00:00.000Z");
    const comment = (turn: string, id: string) => newActionRow(turn, id, "github_comment", { repo: "octo/app", number: 1, body: "LGTM" }, at);
    await engine.store.transaction((tx) => tx.actions.start(comment("turn-1", "toolu_1")));
    await engine.store.transaction((tx) => tx.actions.start(comment("turn-9", "toolu_9")));
    const hash = comment("x", "y").inputHash;
    // turn-1 crashed after starting the comment: turn-2, retrying its events, must not post it again.
    const repeat = await engine.store.transaction((tx) => tx.actions.findRepeat(["turn-1"], "github_comment", hash));
    expect(repeat).toMatchObject({ id: "turn-1:toolu_1", turnId: "turn-1", tool: "github_comment", state: "started" });
    expect(await engine.store.transaction((tx) => tx.actions.findRepeat(["turn-1"], "github_comment", newActionRow("x", "y", "github_comment", { body: "other" }, at).inputHash))).toBeUndefined();
    expect(await engine.store.transaction((tx) => tx.actions.findRepeat([], "github_comment", hash))).toBeUndefined();
    const marked = await engine.store.transaction((tx) => tx.actions.markInterrupted(["turn-1"], at));
    expect(marked.map((row) => [row.id, row.state])).toEqual([["turn-1:toolu_1", "unknown"]]);
    // turn-9 is another node's, still running: untouched, and it finishes as usual.
    await engine.store.transaction((tx) => tx.actions.finish("turn-9:toolu_9", "done", "posted", at));
    expect((await engine.store.transaction((tx) => tx.actions.findRepeat(["turn-9"], "github_comment", hash)))?.state).toBe("done");
    expect((await engine.store.transaction((tx) => tx.actions.findRepeat(["turn-1"], "github_comment", hash)))?.state).toBe("unknown");
  });

  it.skipIf(skip)("the claim after a failed turn closes it as interrupted and turns its unfinished action into 'outcome unknown', journaled", async () => {
    const engine = await open();
    const at = new Date("2026-12-02T11:00:00.000Z");
    await engine.store.transaction((tx) => noticeEventIn(tx, event("half-done")));
    await engine.store.transaction((tx) => claimBatchIn(tx, "turn-1", undefined, at));
    await startTurnRecordIn(engine.store, { timeZone: "UTC", now: () => at }, "turn-1", "event");
    await engine.store.transaction((tx) => tx.actions.start(newActionRow("turn-1", "toolu_1", "github_comment", { body: "LGTM" }, at)));
    // The turn's process died here; its events went back without a word about the comment.
    await engine.store.transaction((tx) => tx.queue.release("turn-1"));
    const events = await engine.store.transaction((tx) => claimBatchIn(tx, "turn-2", undefined, at));
    expect(events[0]!.previousTurns).toEqual(["turn-1"]);
    expect((await engine.table("turns")).map((row) => [row.id, row.outcome])).toEqual([["turn-1", "interrupted"]]);
    const row = (await engine.journal()).at(-1)!;
    expect(row.summary).toBe("outcome unknown: github_comment in interrupted turn turn-1; it will not be run again");
    expect((await engine.store.transaction((tx) => tx.actions.findRepeat(events[0]!.previousTurns, "github_comment", newActionRow("x", "y", "github_comment", { body: "LGTM" }, at).inputHash)))?.state).toBe("unknown");
    // A second claim of the same history journals nothing again.
    const rows = (await engine.journal()).length;
    await engine.store.transaction((tx) => tx.queue.release("turn-2"));
    await engine.store.transaction((tx) => claimBatchIn(tx, "turn-3", undefined, at));
    expect(await engine.journal()).toHaveLength(rows);
  });

  it.skipIf(skip)("approvals: requested with canonical input, decided once, expired after their time; state: set, read, deleted", async () => {
    const engine = await open();
    const at = new Date("2026-12-02T12:00:00.000Z");
    const id = await engine.store.transaction((tx) => tx.approvals.request({ turnId: "turn-1", toolUseId: "toolu_1", tool: "run_command", input: { command: "npm test", cwd: "~/code/app" }, reason: "policy: ask" }, at));
    const pending = await engine.store.transaction((tx) => tx.approvals.pending(at));
    expect(pending).toEqual([{ id, turnId: "turn-1", toolUseId: "toolu_1", tool: "run_command", input: '{"command":"npm test","cwd":"~/code/app"}', reason: "policy: ask", state: "pending", createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + APPROVAL_TTL_MS).toISOString(), outcome: null }]);
    expect(await engine.store.transaction((tx) => tx.approvals.decide(id, "approved", at))).toBe(true);
    expect(await engine.store.transaction((tx) => tx.approvals.decide(id, "denied", at))).toBe(false);
    await engine.store.transaction((tx) => tx.approvals.finish(id, "done", "exit 0"));
    expect(await engine.store.transaction((tx) => tx.approvals.get(id))).toMatchObject({ state: "done", outcome: "exit 0" });
    const late = await engine.store.transaction((tx) => tx.approvals.request({ turnId: "turn-2", toolUseId: "toolu_2", tool: "write_file", input: { path: "a" }, reason: "ask" }, at));
    const tomorrow = new Date(at.getTime() + APPROVAL_TTL_MS);
    expect(await engine.store.transaction((tx) => tx.approvals.decide(late, "approved", tomorrow))).toBe(false);
    expect((await engine.store.transaction((tx) => tx.approvals.expire(tomorrow))).map((row) => row.id)).toEqual([late]);
    expect(await engine.store.transaction((tx) => tx.approvals.pending(tomorrow))).toEqual([]);

    await engine.store.transaction((tx) => tx.state.set("lastTickAt", at.toISOString()));
    await engine.store.transaction((tx) => tx.state.set("backoff", { minutes: 30, quietWakes: 2 }));
    expect(await engine.store.transaction((tx) => tx.state.get("backoff"))).toEqual({ minutes: 30, quietWakes: 2 });
    await engine.store.transaction((tx) => tx.state.delete("backoff"));
    expect(await engine.store.transaction((tx) => tx.state.get("backoff"))).toBeUndefined();
    expect(await engine.store.transaction((tx) => tx.state.get("lastTickAt"))).toBe(at.toISOString());
    await engine.store.transaction((tx) => tx.state.set("token", { expiresAt: "later" }));
    expect(await engine.store.transaction((tx) => tx.state.take("token"))).toEqual({ expiresAt: "later" });
    expect(await engine.store.transaction((tx) => tx.state.take("token"))).toBeUndefined();
    expect(POSTGRES_APPROVAL_TTL_MS).toBe(APPROVAL_TTL_MS);
  });

  it.skipIf(skip)("webhook deliveries (GitHub's own examples): queued once per delivery id, the unsubscribed and the unfollowed answered and left out", async () => {
    const engine = await open();
    const now = new Date();
    await engine.store.transaction((tx) => tx.subscriptions.add({ repo: "codertocat/hello-world", number: 0 }, "cli", now));
    const reviews = githubExamples(["pull_request_review"]).filter((example) => example.payload.action === "submitted");
    expect(reviews.length).toBeGreaterThan(0);
    const takeIn = (id: string, name: string, payload: Record<string, unknown>) => engine.store.transaction((tx) => takeInDeliveryIn(tx, { id, name, payload }, now));
    const first = await takeIn("d-1", "pull_request_review", reviews[0]!.payload);
    expect(first).toMatchObject({ counter: "queued", status: 202, body: { status: "queued" } });
    expect(await takeIn("d-1", "pull_request_review", reviews[0]!.payload)).toMatchObject({ counter: "duplicates", status: 200 });
    const elsewhere = { ...reviews[0]!.payload, repository: { ...reviews[0]!.payload.repository, full_name: "someone/else" }, review: { ...reviews[0]!.payload.review, id: 999 } };
    expect(await takeIn("d-2", "pull_request_review", elsewhere)).toMatchObject({ counter: "unsubscribed" });
    const labeled = githubExamples(["pull_request"]).find((example) => example.payload.action === "labeled")!;
    expect(await takeIn("d-3", "pull_request", labeled.payload)).toMatchObject({ counter: "ignored", body: { reason: "pull_request.labeled is not followed" } });
    expect(await engine.events()).toHaveLength(1);
    expect((await engine.journal()).map((row) => row.summary)).toHaveLength(1);
  });

  it.skipIf(skip)("recall: every word first, any word when none has all, stemmed, marked in the snippet; what anyone typed is searched as text", async () => {
    const engine = await open();
    await engine.store.transaction((tx) =>
      tx.journal.appendMany([
        { kind: "noticed", summary: "files/change: notes about zebras and migrations", data: { source: "files" } },
        { kind: "quiet", summary: "nothing worth doing about the zebra enclosure", data: {} },
        { kind: "acted", summary: "notified: the database migration finished", data: { tool: "notify" } },
      ]),
    );
    const search = (query: string) => engine.store.transaction((tx) => tx.recall.search(queryWords(query)));
    const refs = async (query: string) => (await search(query)).map((hit) => hit.ref).sort();
    expect(await refs("zebra migrating")).toEqual(["1"]);
    expect(await refs("zebra")).toEqual(["1", "2"]);
    expect(await refs("enclosure database")).toEqual(["2", "3"]);
    const [hit] = await search("finished");
    expect(hit).toMatchObject({ source: "journal", ref: "3" });
    expect(hit!.snippet).toContain("«finished»");
    expect(await search('NEAR( "quokka OR * : -xylophone')).toEqual([]);
    expect(await search("")).toEqual([]);
    // A past turn's transcript is found too, as the turn it came from, never whole.
    const transcript = renderTranscript("turn-7", [{ role: "user", content: "what about the quokka colony?" }, { role: "assistant", content: "The quokka colony is thriving." }], { now: new Date("2026-12-01T09:00:00.000Z"), timeZone: "UTC", redact: (text) => text });
    await engine.store.transaction((tx) => tx.transcripts.insert(transcript!));
    await engine.store.transaction((tx) => tx.transcripts.insert({ ...transcript!, body: "a second save of the same turn" }));
    expect(await search("quokka")).toEqual([expect.objectContaining({ source: "transcript", ref: "turn-7", day: "2026-12-01" })]);
    expect((await search("quokka"))[0]!.snippet).toContain("«quokka»");
    // Rows appended after a search are found by the next one.
    await engine.store.transaction((tx) => tx.journal.append({ kind: "system", summary: "zebras again", data: {} }));
    expect(await refs("zebra")).toEqual(["1", "2", "4"]);
  });

  it.skipIf(skip)("the poll cache keeps a URL's validators and a PR's snapshot apart: each put leaves the other as it was", async () => {
    const engine = await open();
    const key = "/repos/octo/app/pulls/1";
    expect(await engine.store.transaction((tx) => tx.pollCache.get(key))).toBeUndefined();
    await engine.store.transaction((tx) => tx.pollCache.putEtag(key, 'W/"abc"\nlm:Tue, 01 Dec 2026 10:00:00 GMT'));
    await engine.store.transaction((tx) => tx.pollCache.putSnapshot(key, '{"head":"abc"}'));
    await engine.store.transaction((tx) => tx.pollCache.putEtag(key, 'W/"def"'));
    expect(await engine.store.transaction((tx) => tx.pollCache.get(key))).toEqual({ etag: 'W/"def"', snapshot: '{"head":"abc"}' });
    await engine.store.transaction((tx) => tx.pollCache.putSnapshot("pull:octo/app#2", '{"head":"x"}'));
    expect(await engine.store.transaction((tx) => tx.pollCache.get("pull:octo/app#2"))).toEqual({ etag: null, snapshot: '{"head":"x"}' });
  });

  it.skipIf(skip)("within limits an urgent message comes first, and a burst folds into one line as on SQLite", async () => {
    const engine = await open();
    for (let i = 0; i < 3; i++) await engine.store.transaction((tx) => noticeEventIn(tx, event(`old-${i}`)));
    await engine.store.transaction((tx) => noticeEventIn(tx, { source: "user", type: "message", trust: "trusted", urgent: true, summary: "call me", payload: { text: "call me" } }));
    const two = { maxEvents: 2, maxChars: 1_000_000, eventChars: 10_000, foldAfter: 100, maxFolded: 100 };
    expect((await engine.store.transaction((tx) => tx.queue.claim("turn-1", two))).map((queued) => queued.summary)).toEqual(["call me", "change old-0"]);
    await engine.store.transaction((tx) => tx.queue.complete("turn-1", new Date()));
    for (let i = 0; i < 30; i++) await engine.store.transaction((tx) => noticeEventIn(tx, event(`burst-${i}`)));
    const folding = { maxEvents: 5, maxChars: 1_000_000, eventChars: 10_000, foldAfter: 3, maxFolded: 100 };
    // 32 pending events of one repository: more than foldAfter, so they fold into one line and one turn takes them all.
    expect(await engine.store.transaction((tx) => tx.queue.claim("turn-2", folding))).toHaveLength(32);
  });

  it.skipIf(skip)("text PostgreSQL cannot hold (a clipped emoji, a NUL, a lone surrogate) is queued and read on both engines", async () => {
    const engine = await open();
    const now = new Date();
    await engine.store.transaction((tx) => tx.subscriptions.add({ repo: "octo/app", number: 0 }, "cli", now));
    const payload = { action: "opened", number: 5, sender: { login: "u" }, repository: { full_name: "octo/app" }, pull_request: { number: 5, title: "t", body: `${"a".repeat(999)}😀 more text`, user: { login: "u" }, head: { sha: "abc", ref: "b" }, html_url: "x" } };
    expect(await engine.store.transaction((tx) => takeInDeliveryIn(tx, { id: "d-emoji", name: "pull_request", payload }, now))).toMatchObject({ counter: "queued" });
    await engine.store.transaction((tx) => noticeEventIn(tx, { ...event("odd"), payload: { repo: "octo/app", text: "bin\u0000ary \ud83d half" } }));
    await engine.store.transaction((tx) => tx.journal.append({ kind: "acted", summary: "ran a command", data: { result: "bin\u0000ary \udc00" } }));
    expect(await engine.store.transaction((tx) => tx.queue.claim("turn-1"))).toHaveLength(2);
    expect((await engine.verify()).ok).toBe(true);
  });

  it.skipIf(skip)("a batch stays within its limits, and the rest waits for the next turn", async () => {
    const engine = await open();
    for (let i = 0; i < 5; i++) await engine.store.transaction((tx) => noticeEventIn(tx, event(`e${i}`)));
    const limits = { maxEvents: 2, maxChars: 1_000_000, eventChars: 10_000, foldAfter: 100, maxFolded: 100 };
    const first = await engine.store.transaction((tx) => tx.queue.claim("turn-1", limits));
    expect(first.map((queued) => queued.summary)).toEqual(["change e0", "change e1"]);
    await engine.store.transaction((tx) => tx.queue.complete("turn-1", new Date()));
    const next = await engine.store.transaction((tx) => tx.queue.claim("turn-2", limits));
    expect(next.map((queued) => queued.summary)).toEqual(["change e2", "change e3"]);
    expect(await engine.store.transaction((tx) => tx.queue.countPending())).toBe(3);
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
    // Work that goes on after the rollback cannot write outside a transaction: its tx refuses.
    let afterRollback: Promise<unknown> | undefined;
    await expect(
      engine.store.transaction(async (tx) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        afterRollback = noticeEventIn(tx, event("after the rollback"));
        await afterRollback.catch(() => undefined);
      }),
    ).rejects.toThrow(StoreRuleError);
    await expect(afterRollback).rejects.toThrow(StoreRuleError);
    expect(await engine.events()).toEqual([]);
    // A tx kept past its transaction refuses too.
    let kept: StoreTx | undefined;
    await engine.store.transaction(async (tx) => void (kept = tx));
    await expect(noticeEventIn(kept!, event("late"))).rejects.toThrow(StoreRuleError);
    // The store goes on working.
    await engine.store.transaction((tx) => noticeEventIn(tx, event("after")));
    expect(await engine.events()).toHaveLength(1);
  });

  it("a timer set inside a transaction's work may start its own once that transaction ended", async () => {
    const engine = await ENGINES[0]!.open();
    const later = new Promise<unknown>((resolve, reject) => {
      void engine.store.transaction(async (tx) => {
        await noticeEventIn(tx, event("first"));
        setTimeout(() => engine.store.transaction((next) => noticeEventIn(next, event("second"))).then(resolve, reject), 10);
      });
    });
    await later;
    expect((await engine.events()).map((row) => row.dedupe_key)).toEqual(["first", "second"]);
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

  it("an approval answered on two nodes at once (the phone's reply on one, the desktop's button on another) is decided once", async () => {
    const engine = await ENGINES[1]!.open();
    const now = new Date();
    for (let i = 0; i < 20; i++) {
      const id = await engine.store.transaction((tx) => tx.approvals.request({ turnId: `t${i}`, toolUseId: "toolu", tool: "run_command", input: { i }, reason: "ask" }, now));
      const answers = await Promise.all([
        engine.store.transaction((tx) => tx.approvals.decide(id, "approved", now)),
        engine.second!.transaction((tx) => tx.approvals.decide(id, "denied", now)),
      ]);
      expect(answers.filter(Boolean)).toHaveLength(1);
      expect((await engine.store.transaction((tx) => tx.approvals.get(id)))!.state).toBe(answers[0] ? "approved" : "denied");
    }
  });

  it("a webhook redelivered to the other node at the same moment is accepted once", async () => {
    const engine = await ENGINES[1]!.open();
    const now = new Date();
    await engine.store.transaction((tx) => tx.subscriptions.add({ repo: "codertocat/hello-world", number: 0 }, "cli", now));
    const examples = githubExamples(["pull_request_review", "issue_comment", "pull_request"]).filter((example) => ["submitted", "created", "opened", "synchronize"].includes(String(example.payload.action)));
    expect(examples.length).toBeGreaterThan(5);
    for (const [i, example] of examples.entries()) {
      const delivery = { id: `redelivered-${i}`, name: example.name, payload: example.payload };
      const answers = await Promise.all([engine.store, engine.second!].map((store) => store.transaction((tx) => takeInDeliveryIn(tx, delivery, now))));
      expect(answers.filter((answer) => answer.counter === "duplicates" && answer.status === 200)).toHaveLength(1);
    }
    const events = await engine.events();
    const rows = await engine.journal();
    expect(rows.filter((row) => JSON.parse(row.data).eventId !== undefined)).toHaveLength(events.length);
    expect(new Set(events.map((row) => row.dedupe_key)).size).toBe(events.length);
    expect((await engine.verify()).ok).toBe(true);
  });

  it("a one-time value taken on two nodes at once is taken once", async () => {
    const engine = await ENGINES[1]!.open();
    for (let i = 0; i < 20; i++) {
      await engine.store.transaction((tx) => tx.state.set(`page-login:${i}`, { i }));
      const taken = await Promise.all([engine.store, engine.second!].map((store) => store.transaction((tx) => tx.state.take(`page-login:${i}`))));
      expect(taken.filter((value) => value !== undefined)).toEqual([{ i }]);
    }
  });

  it("one partition's turns run one at a time across nodes, and unrelated partitions side by side", async () => {
    const engine = await ENGINES[1]!.open();
    const other = (key: string): NewEvent => ({ ...event(key), payload: { repo: "octo/other", number: 2 } });
    for (const key of ["app-1", "app-2"]) await engine.store.transaction((tx) => noticeEventIn(tx, event(key)));
    for (const key of ["other-1"]) await engine.store.transaction((tx) => noticeEventIn(tx, other(key)));
    const limits = { maxEvents: 1, maxChars: 1_000_000, eventChars: 10_000, foldAfter: 100, maxFolded: 100 };
    const mine = await engine.store.transaction((tx) => tx.queue.claim("a-1", limits));
    const theirs = await engine.second!.transaction((tx) => tx.queue.claim("b-1"));
    expect(mine.map((queued) => queued.summary)).toEqual(["change app-1"]);
    // octo/app is this node's while a-1 runs: the other node gets the other repository only.
    expect(theirs.map((queued) => queued.summary)).toEqual(["change other-1"]);
    await engine.store.transaction((tx) => tx.queue.complete("a-1", new Date()));
    expect((await engine.second!.transaction((tx) => tx.queue.claim("b-2"))).map((queued) => queued.summary)).toEqual(["change app-2"]);
  });

  it("a finish rolled back after completing keeps the turn's leases known, so its retry is still fenced; so is an action's start", async () => {
    const engine = await ENGINES[1]!.open({ leaseTtlMs: 300 });
    await engine.store.transaction((tx) => noticeEventIn(tx, event("contested")));
    await engine.store.transaction((tx) => claimBatchIn(tx, "stalled-1", undefined, new Date()));
    const record = await startTurnRecordIn(engine.store, { timeZone: "UTC", now: () => new Date() }, "stalled-1", "event");
    await expect(
      engine.store.transaction(async (tx) => {
        await tx.queue.complete("stalled-1", new Date());
        throw new Error("the connection dropped before COMMIT");
      }),
    ).rejects.toThrow("the connection dropped");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await engine.second!.transaction((tx) => claimBatchIn(tx, "other-1", undefined, new Date()))).toHaveLength(1);
    await expect(record.finish("decided", "acted on a stale claim", {})).rejects.toThrow(LeaseLostError);
    await expect(engine.store.transaction((tx) => tx.queue.fence("stalled-1"))).rejects.toThrow(LeaseLostError);
    expect((await engine.journal()).map((row) => row.summary)).not.toContain("acted on a stale claim");
  });

  it("a transaction asked for inside another's work is refused on PostgreSQL too (it would wait for its own journal lock)", async () => {
    const engine = await ENGINES[1]!.open();
    await expect(
      engine.store.transaction(async (tx) => {
        await noticeEventIn(tx, event("outer"));
        return engine.store.transaction((inner) => noticeEventIn(inner, event("inner")));
      }),
    ).rejects.toThrow(StoreRuleError);
    expect(await engine.events()).toEqual([]);
  });

  it("a node that stalled past its lease cannot record a decision for events another node took over", async () => {
    const engine = await ENGINES[1]!.open({ leaseTtlMs: 300 });
    await engine.store.transaction((tx) => noticeEventIn(tx, event("contested")));
    expect(await engine.store.transaction((tx) => claimBatchIn(tx, "stalled-1", undefined, new Date()))).toHaveLength(1);
    await engine.store.transaction((tx) => tx.actions.start(newActionRow("stalled-1", "toolu_1", "notify", { text: "PR ready" }, new Date())));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const taken = await engine.second!.transaction((tx) => claimBatchIn(tx, "other-1", undefined, new Date()));
    expect(taken[0]).toMatchObject({ summary: "change contested", previousTurns: ["stalled-1"] });
    // The other node will not notify again: the stalled turn's started action is now of unknown outcome.
    const hash = newActionRow("x", "y", "notify", { text: "PR ready" }, new Date()).inputHash;
    expect((await engine.second!.transaction((tx) => tx.actions.findRepeat(taken[0]!.previousTurns, "notify", hash)))?.state).toBe("unknown");
    await expect(
      engine.store.transaction(async (tx) => {
        await tx.queue.complete("stalled-1", new Date());
        await tx.journal.append({ kind: "decided", summary: "acted on a stale claim", data: { turnId: "stalled-1" } });
      }),
    ).rejects.toThrow(LeaseLostError);
    expect(await engine.second!.transaction((tx) => tx.queue.complete("other-1", new Date()))).toBe(1);
    expect((await engine.journal()).map((row) => row.summary)).not.toContain("acted on a stale claim");
    expect(await engine.store.transaction((tx) => tx.queue.countPending())).toBe(0);
  });
});
