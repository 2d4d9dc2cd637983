import { describe, expect, it } from "vitest";
import type { StoreTx } from "../../daemon/context/store-tx.js";
import { claimBatchIn } from "../../daemon/events/claim-batch.js";
import type { NewEvent } from "../../daemon/events/event-queue.js";
import { noticeEventIn } from "../../daemon/events/notice-event.js";
import { takeInDeliveryIn } from "../../daemon/http/take-in-delivery-in.js";
import { LeaseLostError } from "../../daemon/store/postgres/create-postgres-turn-queue.js";
import { StoreRuleError } from "../../daemon/store/sqlite/create-sqlite-store.js";
import { newActionRow } from "../../daemon/tools/action-ledger.js";
import { startTurnRecordIn } from "../../daemon/brain/turn-record.js";
import { githubExamples } from "../support/github-examples.js";
import { storeEvent as event, useStorePortEngines } from "../support/store-port-engines.js";

const { ENGINES, gate } = useStorePortEngines();

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

  it("a wake-up due on two nodes at once becomes one event", async () => {
    const engine = await ENGINES[1]!.open();
    const now = new Date("2026-12-02T12:00:00.000Z");
    await engine.store.transaction((tx) => tx.wakeups.addCron("0 12 * * *", "the daily look", "config", new Date("2026-12-02T11:00:00.000Z")));
    // What each node's tick does (daemon/supervisor/supervisor.ts), on both at the same moment.
    const fire = (store: typeof engine.store) =>
      store.transaction(async (tx) => {
        for (const due of await tx.wakeups.collectDue(now, "UTC")) {
          await noticeEventIn(tx, { source: "schedule", type: "schedule", dedupeKey: `wakeup:${due.wakeup.id}:${due.slot}`, trust: "trusted", summary: due.wakeup.note });
          await tx.wakeups.markFired(due, now);
        }
      });
    await Promise.all([fire(engine.store), fire(engine.second!)]);
    expect((await engine.events()).map((row) => row.summary)).toEqual(["the daily look"]);
    expect((await engine.journal()).filter((row) => row.summary.includes("the daily look"))).toHaveLength(1);
    expect(await engine.store.transaction((tx) => tx.wakeups.collectDue(now, "UTC"))).toEqual([]);
  });

  it("a turn that runs longer than its lease keeps its partition while its node renews; once renewal stops, another node takes over", async () => {
    const engine = await ENGINES[1]!.open({ leaseTtlMs: 300 });
    await engine.store.transaction((tx) => noticeEventIn(tx, event("long-1")));
    expect(await engine.store.transaction((tx) => claimBatchIn(tx, "long-turn", undefined, new Date()))).toHaveLength(1);
    const renewal = engine.renewLeases!(100);
    // Three lease lifetimes: a slow model call, say.
    await new Promise((resolve) => setTimeout(resolve, 900));
    await engine.store.transaction((tx) => noticeEventIn(tx, event("long-2")));
    // The partition is still the long turn's: the other node gets nothing of octo/app.
    expect(await engine.second!.transaction((tx) => claimBatchIn(tx, "other-1", undefined, new Date()))).toEqual([]);
    await engine.store.transaction((tx) => tx.queue.fence("long-turn"));
    await renewal.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Not renewed for longer than a lifetime: the node counts as stalled, and its partition moves.
    expect((await engine.second!.transaction((tx) => claimBatchIn(tx, "other-2", undefined, new Date()))).map((queued) => queued.summary)).toEqual(["change long-1", "change long-2"]);
    await expect(engine.store.transaction((tx) => tx.queue.complete("long-turn", new Date()))).rejects.toThrow(LeaseLostError);
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
