import type { Pool } from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { acquireLease } from "../../daemon/store/postgres/acquire-lease.js";
import { claimWork, partitionLeaseName, type ClaimedWork } from "../../daemon/store/postgres/claim-work.js";
import { forgetNode } from "../../daemon/store/postgres/forget-node.js";
import { listNodes } from "../../daemon/store/postgres/list-nodes.js";
import { makeNodeId } from "../../daemon/store/postgres/make-node-id.js";
import { migratePostgres } from "../../daemon/store/postgres/migrate-postgres.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import { registerNode } from "../../daemon/store/postgres/register-node.js";
import { releaseLease } from "../../daemon/store/postgres/release-lease.js";
import { renewLease } from "../../daemon/store/postgres/renew-lease.js";
import { touchNode } from "../../daemon/store/postgres/touch-node.js";
import { checkPostgresTools, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster.js";
import { inPostgresTransaction } from "../support/postgres-transaction.js";

const gate = checkPostgresTools();
const A = "host-a:101:aaaa";
const B = "host-b:202:bbbb";
const MINUTE = 60_000;
/** A lease that expires within a test, yet outlasts any pause between two of its statements. */
const SHORT_TTL = 1_000;

interface LeaseRow {
  holder: string | null;
  token: number;
  expires_at: Date;
}

describe.skipIf(gate.skip)(gate.title("nodes, leases and claims of several nodes on one PostgreSQL"), () => {
  let cluster: PostgresCluster;
  let owner: Pool;
  /** Two nodes: each its own pool acting as the runtime role, as two daemons would. */
  let nodeA: Pool;
  let nodeB: Pool;

  beforeAll(async () => {
    gate.assertPresent();
    cluster = await startPostgresCluster();
  });
  beforeEach(async () => {
    const url = await cluster.createDatabase();
    owner = await openPostgresPool({ url, max: 2 });
    await migratePostgres(owner);
    [nodeA, nodeB] = await Promise.all([openPostgresPool({ url, role: POSTGRES_RUNTIME_ROLE, max: 3 }), openPostgresPool({ url, role: POSTGRES_RUNTIME_ROLE, max: 3 })]);
    await registerNode(nodeA, { id: A, host: "host-a", pid: 101, version: "1.0.0" });
    await registerNode(nodeB, { id: B, host: "host-b", pid: 202, version: "1.0.1" });
  });
  afterEach(async () => {
    await Promise.all([owner?.end(), nodeA?.end(), nodeB?.end()]);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const leaseRow = async (name: string): Promise<LeaseRow | undefined> => {
    const { rows } = await owner.query<LeaseRow>("SELECT holder, token::int AS token, expires_at FROM vigil.leases WHERE name = $1", [name]);
    return rows[0];
  };
  /** Moves a lease's expiry into the past by the database's clock, as time passing would. */
  const expire = (name: string) => owner.query("UPDATE vigil.leases SET expires_at = now() - interval '1 second' WHERE name = $1", [name]);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  describe("nodes", () => {
    it("a node id is host:pid:random, new for every process", () => {
      expect(makeNodeId({ host: "box", pid: 7, random: "0a1b" })).toBe("box:7:0a1b");
      expect(makeNodeId()).toMatch(new RegExp(`^.+:${process.pid}:[0-9a-f]{8}$`));
      expect(makeNodeId()).not.toBe(makeNodeId());
    });

    it("are listed with the leases they hold; one unseen for longer than the staleness is stale until it touches its row again", async () => {
      await acquireLease(nodeA, "dream", A, MINUTE);
      await acquireLease(nodeA, "partition:github:octo/app", A, MINUTE);
      const expired = await acquireLease(nodeB, "review", B, MINUTE);
      await expire("review");
      await owner.query("UPDATE vigil.nodes SET seen_at = now() - interval '10 minutes' WHERE id = $1", [B]);

      const nodes = await listNodes(nodeA, { staleAfterMs: 5 * MINUTE });
      expect(nodes.map(({ id, host, pid, version, stale }) => ({ id, host, pid, version, stale }))).toEqual([
        { id: A, host: "host-a", pid: 101, version: "1.0.0", stale: false },
        { id: B, host: "host-b", pid: 202, version: "1.0.1", stale: true },
      ]);
      expect(nodes[0]!.leases.map(({ name, token }) => ({ name, token }))).toEqual([
        { name: "dream", token: 1 },
        { name: "partition:github:octo/app", token: 1 },
      ]);
      expect(nodes[0]!.leases[0]!.expiresInMs).toBeGreaterThan(MINUTE - 10_000);
      expect(nodes[0]!.leases[0]!.expiresInMs).toBeLessThanOrEqual(MINUTE);
      // An expired lease is not held any more, though its row names B.
      expect(expired).toBeDefined();
      expect(nodes[1]!.leases).toEqual([]);
      expect(nodes[1]!.seenAgoMs).toBeGreaterThanOrEqual(10 * MINUTE);

      expect(await touchNode(nodeB, B)).toBe(true);
      expect((await listNodes(nodeA, { staleAfterMs: 5 * MINUTE })).find((node) => node.id === B)!.stale).toBe(false);
    });

    it("seen_at is the database's clock, not the node's", async () => {
      const { seenAt, databaseNow } = await inPostgresTransaction(nodeA, async (tx) => {
        await touchNode(tx, A);
        const { rows } = await tx.query<{ seen_at: Date; now: Date }>("SELECT seen_at, now() FROM vigil.nodes WHERE id = $1", [A]);
        return { seenAt: rows[0]!.seen_at, databaseNow: rows[0]!.now };
      });
      expect(seenAt.getTime()).toBe(databaseNow.getTime());
    });

    it("registering the same id again keeps its start; a forgotten node frees its leases (their tokens go on) and must register again", async () => {
      const [first] = (await owner.query<{ started_at: Date }>("SELECT started_at FROM vigil.nodes WHERE id = $1", [A])).rows;
      await sleep(5);
      expect((await registerNode(nodeA, { id: A, host: "host-a", pid: 101, version: "1.0.2" })).startedAt).toEqual(first!.started_at);

      const held = await acquireLease(nodeB, "dream", B, MINUTE);
      expect(await forgetNode(nodeA, B, { unseenForMs: MINUTE })).toBe(false);
      expect((await leaseRow("dream"))!.holder).toBe(B);
      await owner.query("UPDATE vigil.nodes SET seen_at = now() - interval '2 minutes' WHERE id = $1", [B]);
      expect(await forgetNode(nodeA, B, { unseenForMs: MINUTE })).toBe(true);
      expect((await listNodes(nodeA, { staleAfterMs: MINUTE })).map((node) => node.id)).toEqual([A]);

      expect((await leaseRow("dream"))!.holder).toBeNull();
      expect(await renewLease(nodeB, "dream", B, held!.token, MINUTE)).toBe(false);
      expect(await acquireLease(nodeA, "dream", A, MINUTE)).toEqual({ name: "dream", token: held!.token + 1, begun: true });
      expect(await touchNode(nodeB, B)).toBe(false);
      await expect(acquireLease(nodeB, "review", B, MINUTE)).rejects.toThrow(`node "${B}" is not registered in vigil.nodes, so it cannot hold a lease: registerNode first`);
    });
  });

  describe("leases", () => {
    it("two nodes racing for one lease 50 times: exactly one wins each time, and each takeover's token is one more", async () => {
      for (let round = 0; round < 50; round++) {
        if (round > 0) await expire("dream");
        const [a, b] = await Promise.all([acquireLease(nodeA, "dream", A, MINUTE), acquireLease(nodeB, "dream", B, MINUTE)]);
        const winners = [a && A, b && B].filter(Boolean);
        expect(winners, `round ${round}`).toHaveLength(1);
        const won = (a ?? b)!;
        expect(won.token, `round ${round}`).toBe(round + 1);
        expect(won.begun).toBe(true);
        expect(await leaseRow("dream")).toMatchObject({ holder: winners[0], token: round + 1 });
      }
    });

    it("a live lease is never taken, and its row is left as it was; its holder taking it again extends it under the same token", async () => {
      const held = await acquireLease(nodeA, "review", A, MINUTE);
      expect(held).toEqual({ name: "review", token: 1, begun: true });
      const before = await leaseRow("review");
      for (let i = 0; i < 10; i++) expect(await acquireLease(nodeB, "review", B, MINUTE)).toBeUndefined();
      expect(await leaseRow("review")).toEqual(before);
      expect(await renewLease(nodeB, "review", B, 1, MINUTE)).toBe(false);
      expect(await releaseLease(nodeB, "review", B, 1)).toBe(false);
      expect(await leaseRow("review")).toEqual(before);

      expect(await acquireLease(nodeA, "review", A, 2 * MINUTE)).toEqual({ name: "review", token: 1, begun: false });
      expect((await leaseRow("review"))!.expires_at.getTime()).toBeGreaterThan(before!.expires_at.getTime());
    });

    it("an expired lease is taken over with a larger fencing token, and the old holder's renew and release say it must stop", async () => {
      const old = await acquireLease(nodeA, "turn:42", A, SHORT_TTL);
      expect(await acquireLease(nodeB, "turn:42", B, MINUTE)).toBeUndefined();
      await sleep(SHORT_TTL + 250);
      // Expired but not taken: nobody else acted under it, so its holder may still renew.
      expect(await renewLease(nodeA, "turn:42", A, old!.token, SHORT_TTL)).toBe(true);
      expect(await acquireLease(nodeB, "turn:42", B, MINUTE)).toBeUndefined();
      await sleep(SHORT_TTL + 250);

      const taken = await acquireLease(nodeB, "turn:42", B, MINUTE);
      expect(taken).toEqual({ name: "turn:42", token: old!.token + 1, begun: true });
      expect(await renewLease(nodeA, "turn:42", A, old!.token, MINUTE)).toBe(false);
      expect(await releaseLease(nodeA, "turn:42", A, old!.token)).toBe(false);
      expect(await leaseRow("turn:42")).toMatchObject({ holder: B, token: 2 });
      expect(await renewLease(nodeB, "turn:42", B, taken!.token, MINUTE)).toBe(true);
    });

    it("a released lease is free at once, and its token keeps counting", async () => {
      const first = await acquireLease(nodeA, "dream", A, MINUTE);
      expect(await releaseLease(nodeA, "dream", A, first!.token)).toBe(true);
      expect(await leaseRow("dream")).toMatchObject({ holder: null, token: 1 });
      expect(await acquireLease(nodeB, "dream", B, MINUTE)).toEqual({ name: "dream", token: 2, begun: true });
      // The holder's own release after a takeover must not free the new holding.
      expect(await releaseLease(nodeA, "dream", A, first!.token)).toBe(false);
    });

    it("refuses a lease without a name or with a time to live that is not a positive whole number of milliseconds", async () => {
      await expect(acquireLease(nodeA, "", A, MINUTE)).rejects.toThrow("a lease needs a name");
      await expect(acquireLease(nodeA, "dream", A, 0)).rejects.toThrow("a lease's ttlMs must be a positive whole number of milliseconds, not 0");
      await expect(acquireLease(nodeA, "dream", A, Number.NaN)).rejects.toThrow("not NaN");
      await expect(renewLease(nodeA, "dream", A, 1, -5)).rejects.toThrow("not -5");
      expect(await leaseRow("dream")).toBeUndefined();
    });
  });

  describe("claiming work", () => {
    let received = 0;
    const enqueue = async (source: string, payload: Record<string, unknown>, urgent = false) => {
      const { rows } = await nodeA.query<{ id: string }>(
        "INSERT INTO vigil.events (source, type, dedupe_key, trust, urgent, summary, payload, received_at) VALUES ($1, 'change', $2, 'untrusted', $3, 'a change', $4, $5) RETURNING id",
        [source, `key-${++received}`, urgent ? 1 : 0, JSON.stringify(payload), new Date(Date.UTC(2026, 0, 1, 0, 0, received)).toISOString()],
      );
      return Number(rows[0]!.id);
    };
    const claim = (pool: Pool, holder: string, turnId: string, limit = 50, leaseTtlMs = MINUTE) => inPostgresTransaction(pool, (tx) => claimWork(tx, { holder, turnId, limit, leaseTtlMs }));
    /** A turn's end: fenced by its partitions' leases (false if one was lost), its events done and the leases released, in one transaction. */
    const finish = (pool: Pool, holder: string, turnId: string, work: ClaimedWork) =>
      inPostgresTransaction(pool, async (tx) => {
        let kept = true;
        for (const lease of work.leases) kept = (await renewLease(tx, lease.name, holder, lease.token, MINUTE)) && kept;
        await tx.query("UPDATE vigil.events SET state = 'done', done_at = 'now' WHERE state = 'claimed' AND claimed_by = $1", [turnId]);
        for (const lease of work.leases) await releaseLease(tx, lease.name, holder, lease.token);
        return kept;
      });

    it("partitions: a repository, a watch root, and the source for the rest", async () => {
      const ids = [
        await enqueue("github", { repo: "octo/app", number: 1 }),
        await enqueue("files", { root: "/home/me/notes", path: "/home/me/notes/a.md" }),
        await enqueue("user", { text: "hello" }),
        await enqueue("schedule", { note: "standup" }),
        await enqueue("github", { number: 2 }),
      ];
      const { rows } = await owner.query<{ id: string; partition: string }>("SELECT id, vigil.event_partition(source, payload) AS partition FROM vigil.events ORDER BY id");
      expect(rows.map((row) => [Number(row.id), row.partition])).toEqual([
        [ids[0], "github:octo/app"],
        [ids[1], "files:/home/me/notes"],
        [ids[2], "user"],
        [ids[3], "schedule"],
        [ids[4], "github:"],
      ]);
    });

    it("claims pending events as the SQLite queue does: urgent first, then oldest, state and claimed_by set, under each partition's lease", async () => {
      const app = [await enqueue("github", { repo: "octo/app" }), await enqueue("github", { repo: "octo/app" })];
      const told = await enqueue("user", { text: "look at this" }, true);
      const work = await claim(nodeA, A, "turn-1");
      expect(work.events.map((event) => event.id)).toEqual([told, ...app]);
      expect(work.events[0]).toMatchObject({ source: "user", urgent: 1, trust: "untrusted", payload: '{"text":"look at this"}', previous_turn: null, failures: 0, partition: "user" });
      expect(work.leases).toEqual([
        { name: "partition:github:octo/app", token: 1, begun: true },
        { name: "partition:user", token: 1, begun: true },
      ]);
      expect(work.handedBack).toBe(0);
      const { rows } = await owner.query("SELECT state, claimed_by FROM vigil.events ORDER BY id");
      expect(rows).toEqual(Array(3).fill({ state: "claimed", claimed_by: "turn-1" }));
      // Nothing left to claim, for either node.
      expect((await claim(nodeA, A, "turn-2")).events).toEqual([]);
      expect((await claim(nodeB, B, "turn-3")).events).toEqual([]);
    });

    it("while node A holds partition X's lease, node B claims only other partitions' events, new ones of X included; X opens once A is done", async () => {
      const x = [await enqueue("github", { repo: "octo/x" }), await enqueue("github", { repo: "octo/x" })];
      const first = await claim(nodeA, A, "turn-a1", 2);
      expect(first.events.map((event) => event.id)).toEqual(x);
      const others = [await enqueue("github", { repo: "octo/y" }), await enqueue("github", { repo: "octo/x" }), await enqueue("files", { root: "/srv" }), await enqueue("github", { repo: "octo/x" })];

      const second = await claim(nodeB, B, "turn-b1");
      expect(second.events.map((event) => event.partition)).toEqual(["github:octo/y", "files:/srv"]);
      expect(second.leases.map((lease) => lease.name)).toEqual(["partition:files:/srv", "partition:github:octo/y"]);
      // A's own turn is still in X: A waits for it too, so one partition's turns run one at a time.
      expect((await claim(nodeA, A, "turn-a2")).events).toEqual([]);
      expect((await claim(nodeB, B, "turn-b2")).events).toEqual([]);

      expect(await finish(nodeA, A, "turn-a1", first)).toBe(true);
      const third = await claim(nodeB, B, "turn-b3");
      expect(third.events.map((event) => event.id)).toEqual([others[1], others[3]]);
      expect(third.leases).toEqual([{ name: "partition:github:octo/x", token: 2, begun: true }]);
    });

    it("a node that let its partition's lease expire mid-turn has its events handed back to the node taking over, in order, with its turn noted", async () => {
      const ids = [await enqueue("github", { repo: "octo/app" }), await enqueue("github", { repo: "octo/app" })];
      const crashed = await claim(nodeA, A, "turn-a1", 10, SHORT_TTL);
      expect(crashed.events).toHaveLength(2);
      const later = await enqueue("github", { repo: "octo/app" });
      expect((await claim(nodeB, B, "turn-b1")).events).toEqual([]);
      await sleep(SHORT_TTL + 250);

      const taken = await claim(nodeB, B, "turn-b2");
      expect(taken.handedBack).toBe(2);
      expect(taken.events.map((event) => [event.id, event.previous_turn])).toEqual([
        [ids[0], "turn-a1"],
        [ids[1], "turn-a1"],
        [later, null],
      ]);
      expect(taken.leases).toEqual([{ name: partitionLeaseName("github:octo/app"), token: 2, begun: true }]);
      // The old holder learns it must stop, and its late completion touches nothing.
      const lease = crashed.leases[0]!;
      expect(await renewLease(nodeA, lease.name, A, lease.token, MINUTE)).toBe(false);
      expect((await nodeA.query("UPDATE vigil.events SET state = 'done' WHERE state = 'claimed' AND claimed_by = 'turn-a1'")).rowCount).toBe(0);
    });

    it("the limit bounds the events; a partition taken but left without an event is released again", async () => {
      await enqueue("github", { repo: "octo/a" });
      await enqueue("github", { repo: "octo/a" });
      await enqueue("github", { repo: "octo/b" });
      const work = await claim(nodeA, A, "turn-1", 2);
      expect(work.events.map((event) => event.partition)).toEqual(["github:octo/a", "github:octo/a"]);
      expect(work.leases.map((lease) => lease.name)).toEqual(["partition:github:octo/a"]);
      expect(await leaseRow("partition:github:octo/b")).toMatchObject({ holder: null, token: 1 });
      expect((await claim(nodeB, B, "turn-2")).events.map((event) => event.partition)).toEqual(["github:octo/b"]);
      await expect(claim(nodeA, A, "turn-3", 0)).rejects.toThrow("claimWork's limit must be a positive whole number of events, not 0");
    });

    it.each([
      { claimers: "two nodes", second: () => ({ pool: nodeB, node: B }) },
      // One node's leases do not keep its own turns apart: the row locks do.
      { claimers: "one node running two turns", second: () => ({ pool: nodeB, node: A }) },
    ])("SKIP LOCKED: $claimers claiming at once over 200 events never claim the same event, together claim all, and keep each partition's order", async ({ second }) => {
      const ids: number[] = [];
      for (let i = 0; i < 200; i++) ids.push(await enqueue("github", { repo: `octo/r${i % 20}`, i }));
      const log: Array<{ node: string; turn: string; id: number; partition: string }> = [];
      const fenced: boolean[] = [];
      const run = async (pool: Pool, node: string, name: string) => {
        for (let turn = 1; ; turn++) {
          const turnId = `${name}-turn-${turn}`;
          const work = await claim(pool, node, turnId, 7);
          for (const event of work.events) log.push({ node, turn: turnId, id: event.id, partition: event.partition });
          if (work.events.length > 0) fenced.push(await finish(pool, node, turnId, work));
          else if (Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM vigil.events WHERE state <> 'done'")).rows[0]!.n) === 0) return;
          else await sleep(5);
        }
      };
      const other = second();
      await Promise.all([run(nodeA, A, "first"), run(other.pool, other.node, "second")]);

      const claimed = log.map((entry) => entry.id);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect([...claimed].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(log.map((entry) => entry.turn.split("-")[0]))).toEqual(new Set(["first", "second"]));
      expect(fenced.every(Boolean)).toBe(true);
      for (let r = 0; r < 20; r++) {
        const inPartition = log.filter((entry) => entry.partition === `github:octo/r${r}`).map((entry) => entry.id);
        expect(inPartition, `octo/r${r} in order`).toEqual([...inPartition].sort((a, b) => a - b));
      }
      const stored = (await owner.query<{ id: string; claimed_by: string }>("SELECT id, claimed_by FROM vigil.events WHERE state = 'done' ORDER BY id")).rows;
      expect(stored.map((row) => [Number(row.id), row.claimed_by])).toEqual([...log].sort((a, b) => a.id - b.id).map((entry) => [entry.id, entry.turn]));
    });
  });
});
