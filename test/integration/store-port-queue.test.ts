import { describe, expect, it } from "vitest";
import { startTurnRecordIn } from "../../daemon/brain/turn-record.js";
import { claimBatchIn } from "../../daemon/events/claim-batch.js";
import { noticeEventIn } from "../../daemon/events/notice-event.js";
import { takeInDeliveryIn } from "../../daemon/http/take-in-delivery-in.js";
import { newActionRow } from "../../daemon/tools/action-ledger.js";
import { storeEvent as event, useStorePortEngines } from "../support/store-port-engines.js";

const { ENGINES } = useStorePortEngines();

describe.each(ENGINES)("the store port on $name: the queue, turns and the ledger", ({ name, skip, open }) => {
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
    const first = await engine.store.transaction((tx) => noticeEventIn(tx, event("a")));
    for (const key of ["b", "c"]) await engine.store.transaction((tx) => noticeEventIn(tx, event(key)));
    await engine.store.transaction((tx) => noticeEventIn(tx, { ...event("now"), urgent: true }));
    const stateOfFirst = () => engine.store.transaction((tx) => tx.queue.stateOf(first.id));
    expect(await stateOfFirst()).toEqual({ state: "pending", claimedBy: null });
    expect(await engine.store.transaction((tx) => tx.queue.stateOf(first.id + 1000))).toBeUndefined();
    const claimed = await engine.store.transaction((tx) => tx.queue.claim("turn-1"));
    expect(await stateOfFirst()).toEqual({ state: "claimed", claimedBy: "turn-1" });
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
    // Another turn's decision, and a row of turn-1's that is no decision, are not turn-1's decision.
    await engine.store.transaction((tx) => tx.journal.appendMany([
      { kind: "decided", summary: "someone else's", data: { turnId: "turn-0", actions: ["notify"] } },
      { kind: "acted", summary: "a tool ran", data: { turnId: "turn-1" } },
    ]));
    expect(await engine.store.transaction((tx) => tx.journal.decisionOf("turn-1"))).toBeUndefined();
    const done = await engine.store.transaction(async (tx) => {
      const consumed = await tx.queue.complete("turn-1", new Date());
      await tx.journal.append({ kind: "quiet", summary: "nothing to do", data: { turnId: "turn-1", events: consumed } });
      return consumed;
    });
    expect(done).toBe(4);
    expect(await stateOfFirst()).toEqual({ state: "done", claimedBy: "turn-1" });
    expect(await engine.store.transaction((tx) => tx.journal.decisionOf("turn-1"))).toMatchObject({ kind: "quiet", summary: "nothing to do", data: { turnId: "turn-1", events: 4 } });
    expect(await engine.store.transaction((tx) => tx.journal.decisionOf("turn-0"))).toMatchObject({ kind: "decided", data: { actions: ["notify"] } });
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
