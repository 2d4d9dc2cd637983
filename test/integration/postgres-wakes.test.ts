import type { Pool } from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectPostgresClient } from "../../daemon/store/postgres/connect-postgres-client.js";
import { createPostgresWaker, type PostgresWaker } from "../../daemon/store/postgres/create-postgres-waker.js";
import { migratePostgres } from "../../daemon/store/postgres/migrate-postgres.js";
import { notifyWork } from "../../daemon/store/postgres/notify-work.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import { postgresIntakeTx } from "../../daemon/context/intake-tx.js";
import { noticeEventIn } from "../../daemon/events/notice-event.js";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { createPostgresStore } from "../../daemon/store/postgres/create-postgres-store.js";
import { checkPostgresTools, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster.js";
import { inPostgresTransaction } from "../support/postgres-transaction.js";
import { waitFor } from "../support/run-vigil.js";

const gate = checkPostgresTools();
const LISTENER = "vigil-waker-test";

describe.skipIf(gate.skip)(gate.title("waking nodes with LISTEN/NOTIFY"), () => {
  let cluster: PostgresCluster;
  let url: string;
  let owner: Pool;
  let runtime: Pool;
  let waker: PostgresWaker | undefined;

  beforeAll(async () => {
    gate.assertPresent();
    cluster = await startPostgresCluster();
  });
  beforeEach(async () => {
    url = await cluster.createDatabase();
    owner = await openPostgresPool({ url, max: 2 });
    await migratePostgres(owner);
    runtime = await openPostgresPool({ url, role: POSTGRES_RUNTIME_ROLE, max: 2 });
  });
  afterEach(async () => {
    await waker?.close();
    waker = undefined;
    await Promise.all([owner?.end(), runtime?.end()]);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const listen = async (wakes: Array<string | undefined>, events: string[] = []) => {
    waker = await createPostgresWaker({
      connect: () => connectPostgresClient({ url, role: POSTGRES_RUNTIME_ROLE, applicationName: LISTENER }),
      onWake: (payload) => wakes.push(payload),
      onLost: (error, retryInMs) => events.push(`lost: ${error.message} (retry in ${retryInMs} ms)`),
      onListening: () => events.push("listening"),
      retry: { firstMs: 50, maxMs: 400 },
    });
  };
  const insertEvent = (tx: { query: Pool["query"] }, key: string) =>
    tx.query("INSERT INTO vigil.events (source, type, dedupe_key, trust, summary, payload, received_at) VALUES ('github', 'push', $1, 'untrusted', 's', '{\"repo\":\"octo/app\"}', 'now')", [key]);
  const listenerPids = async () => (await owner.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [LISTENER])).rows.map((row) => row.pid);

  it("a wake is sent only when the inserting transaction commits: none for one rolled back, none before the commit", async () => {
    const wakes: Array<string | undefined> = [];
    await listen(wakes);
    await expect(
      inPostgresTransaction(runtime, async (tx) => {
        await insertEvent(tx, "rolled-back");
        await notifyWork(tx, "github:octo/rolled-back");
        throw new Error("the intake failed after notifying");
      }),
    ).rejects.toThrow("the intake failed");

    const client = await runtime.connect();
    try {
      await client.query("BEGIN");
      await insertEvent(client, "committed");
      await notifyWork(client, "github:octo/app");
      await sleep(300);
      expect(wakes).toEqual([]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    await waitFor(() => wakes.length > 0, 5_000, "the committed wake");
    // Notifications arrive in commit order: had the rolled-back one been sent, it would be first.
    await sleep(100);
    expect(wakes).toEqual(["github:octo/app"]);
    expect((await owner.query("SELECT dedupe_key FROM vigil.events")).rows).toEqual([{ dedupe_key: "committed" }]);
  });

  it("an event taken in through the store port wakes the listeners when it commits, its source the hint; a duplicate or a rolled-back one wakes none", async () => {
    const wakes: Array<string | undefined> = [];
    await listen(wakes);
    const store = createPostgresStore(runtime, (client) => postgresIntakeTx(client, { timeZone: "UTC", redact: createRedactor([]), now: () => new Date() }));
    const message = { source: "user" as const, type: "message", trust: "trusted" as const, dedupeKey: "user:hello", summary: "hello team" };
    await expect(
      store.transaction(async (tx) => {
        await noticeEventIn(tx, { ...message, dedupeKey: "user:lost", summary: "never committed" });
        throw new Error("the verb failed after queueing");
      }),
    ).rejects.toThrow("the verb failed");
    expect((await store.transaction((tx) => noticeEventIn(tx, message))).inserted).toBe(true);
    await waitFor(() => wakes.length > 0, 5_000, "the intake's wake");
    expect((await store.transaction((tx) => noticeEventIn(tx, message))).inserted).toBe(false);
    await sleep(300);
    expect(wakes).toEqual(["user"]);
  });

  it("after pg_terminate_backend ends the listening connection it connects again, wakes once for what it may have missed, and wakes resume", async () => {
    const wakes: Array<string | undefined> = [];
    const events: string[] = [];
    await listen(wakes, events);
    await notifyWork(runtime, "before");
    await waitFor(() => wakes.includes("before"), 5_000, "the first wake");

    const [first] = await listenerPids();
    expect(first).toBeDefined();
    const { rows } = await owner.query<{ ended: boolean }>("SELECT pg_terminate_backend($1) AS ended", [first]);
    expect(rows).toEqual([{ ended: true }]);
    await waitFor(() => events.includes("listening"), 10_000, "listening again");
    expect(events[0]).toMatch(/^lost: .*\(retry in 50 ms\)$/);
    const [second] = await listenerPids();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(wakes).toEqual(["before", undefined]);

    await notifyWork(runtime, "after");
    await waitFor(() => wakes.includes("after"), 5_000, "a wake after the reconnect");
    expect(wakes).toEqual(["before", undefined, "after"]);
  });

  it("keeps trying with growing waits while the server refuses its login, and listens again once it may", async () => {
    // A login of its own (a superuser ignores NOLOGIN), a member of the runtime role as a node's login is.
    const login = { user: `waker_${process.pid}`, password: "waker-password" };
    await owner.query(`CREATE ROLE ${login.user} LOGIN PASSWORD '${login.password}' IN ROLE ${POSTGRES_RUNTIME_ROLE}`);
    try {
      const wakes: Array<string | undefined> = [];
      const events: string[] = [];
      waker = await createPostgresWaker({
        connect: () => connectPostgresClient({ url: cluster.url(new URL(url).pathname.slice(1), login), role: POSTGRES_RUNTIME_ROLE, applicationName: LISTENER }),
        onWake: (payload) => wakes.push(payload),
        onLost: (error, retryInMs) => events.push(`lost: ${error.message} (retry in ${retryInMs} ms)`),
        onListening: () => events.push("listening"),
        retry: { firstMs: 50, maxMs: 400 },
      });
      await owner.query(`ALTER ROLE ${login.user} NOLOGIN`);
      await owner.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [LISTENER]);
      await waitFor(() => events.length >= 4, 10_000, "several failed tries");
      await owner.query(`ALTER ROLE ${login.user} LOGIN`);
      await waitFor(() => events.includes("listening"), 10_000, "listening again");

      const lost = events.filter((event) => event.startsWith("lost"));
      expect(lost.slice(0, 4).map((event) => Number(/retry in (\d+) ms\)$/.exec(event)![1]))).toEqual([50, 100, 200, 400]);
      // The refusals say what is wrong, as at start.
      expect(lost[1]).toContain(`does not let user "${login.user}" connect`);
      await notifyWork(runtime, "after");
      await waitFor(() => wakes.includes("after"), 5_000, "a wake after the outage");
      expect(wakes).toEqual([undefined, "after"]);
    } finally {
      await waker?.close();
      waker = undefined;
      await owner.query(`DROP ROLE ${login.user}`);
    }
  });

  it("once closed it neither wakes nor connects again", async () => {
    const wakes: Array<string | undefined> = [];
    await listen(wakes);
    await waker!.close();
    expect(await listenerPids()).toEqual([]);
    await notifyWork(runtime, "late");
    await sleep(300);
    expect(wakes).toEqual([]);
    expect(await listenerPids()).toEqual([]);
  });

  it("refuses a channel that is not a plain SQL name, and a payload over PostgreSQL's limit", async () => {
    await expect(createPostgresWaker({ connect: () => connectPostgresClient({ url }), channel: 'work"; DROP TABLE x; --', onWake: () => undefined })).rejects.toThrow(
      "a wake channel is a lower-case SQL name",
    );
    await expect(notifyWork(runtime, "x".repeat(8000))).rejects.toThrow("a wake's payload must be under 8000 bytes");
  });
});
