import { describe, expect, it } from "vitest";
import { apiError, text, toolUse } from "../support/messages-api-server.js";
import { BASE_CONFIG, startHarness } from "../support/daemon-harness.js";
import { recoverInterrupted } from "../../daemon/supervisor/recover-interrupted.js";
import { createSupervisor } from "../../daemon/supervisor/supervisor.js";

const MINUTE = 60_000;

describe("model failures", () => {
  it("a 529/500 storm: SDK retries, then backoff; no crash, one error row, recovery afterwards", async () => {
    const h = await startHarness();
    // Three turns' worth of failures (each turn: 1 call + 2 SDK retries).
    h.server.script(...Array.from({ length: 9 }, (_, i) => apiError(i % 2 ? 500 : 529)));
    h.notice({ summary: "please look at PR 7" });
    await h.ticks(1);
    expect(h.server.requests).toHaveLength(3);
    expect(h.ctx.events.countPending()).toBe(1); // handed back, not lost

    await h.ticks(5); // 25 s: inside the first 30 s backoff
    expect(h.server.requests).toHaveLength(3);

    await h.ticks(200); // long enough for 30 s + 60 s + 120 s of backoff
    expect(h.server.requests).toHaveLength(10);
    const errors = h.journal("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.summary).toMatch(/model call failed.*backing off/);
    expect(h.journal("system").map((entry) => entry.summary)).toContain("model reachable again after 3 failed turn(s)");
    expect(h.journal("quiet")).toHaveLength(1);
    expect(h.ctx.events.countPending()).toBe(0);
  });

  it("backoff survives a restart of the supervisor", async () => {
    const h = await startHarness();
    h.server.script(apiError(529), apiError(529), apiError(529));
    h.notice({ summary: "x" });
    await h.ticks(1);
    const restarted = createSupervisor(h.runtime, "anthropic");
    h.clock.advance(5000);
    await restarted.tick();
    await restarted.idle();
    expect(h.server.requests).toHaveLength(3);
  });

  it("once the daily budget is spent: no more calls that day, journaled once; calls resume the next day", async () => {
    const h = await startHarness({ start: "2026-11-23T10:00:00Z", config: `${BASE_CONFIG}model: { dailyTokenBudget: 500 }\n` });
    h.notice({ summary: "first" });
    await h.ticks(2);
    expect(h.server.requests).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      h.notice({ summary: `more ${i}` });
      await h.ticks(10);
    }
    expect(h.server.requests).toHaveLength(1);
    const paused = h.journal("system").filter((entry) => (entry.data as { event?: string }).event === "budget-paused");
    expect(paused).toHaveLength(1);
    expect(h.ctx.events.countPending()).toBe(5);

    h.clock.set("2026-11-24T09:00:00Z");
    await h.ticks(2);
    expect(h.server.requests).toHaveLength(2);
    expect(h.ctx.events.countPending()).toBe(0);
  });
});

describe("clock", () => {
  it("a wall-clock jump of 2 hours (laptop sleep) journals one resumed row and wakes one turn", async () => {
    const h = await startHarness();
    await h.ticks(3);
    h.clock.advance(2 * 60 * MINUTE);
    await h.ticks(1);
    await h.ticks(20);
    const resumed = h.journal("system").filter((entry) => entry.summary.startsWith("resumed after"));
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.summary).toBe("resumed after 120 minutes");
    expect(h.server.requests).toHaveLength(1);
    expect(JSON.stringify(h.server.requests[0]!.body.messages)).toContain("clock/resumed");
  });

  it("idle wake after idleWakeMinutes; sleep holds it off and wakes once at its time", async () => {
    const h = await startHarness({ config: BASE_CONFIG.replace("idleWakeMinutes: 0", "idleWakeMinutes: 30") });
    await h.ticks(29, MINUTE);
    expect(h.server.requests).toHaveLength(0);
    // The idle wake asks the triage model first; its "yes" reaches the main model.
    h.server.script(text("yes"), toolUse("sleep", { minutes: 120 }), toolUse("stay_quiet", { reason: "nothing until later" }));
    await h.ticks(2, MINUTE);
    expect(h.server.requests).toHaveLength(3);
    expect(JSON.stringify(h.server.requests[1]!.body.messages)).toContain("clock/idle");

    await h.ticks(117, MINUTE); // 30-minute idle wakes would have fired three times here
    expect(h.server.requests).toHaveLength(3);
    await h.ticks(4, MINUTE);
    expect(h.server.requests).toHaveLength(4);
    expect(JSON.stringify(h.server.requests[3]!.body.messages)).toContain("sleep ended");
  });

  it("schedule {at} wakes once at its time; a cron schedule once per slot", async () => {
    const h = await startHarness({ start: "2026-11-23T10:00:00Z" });
    h.server.script(
      toolUse("schedule", { at: "2026-11-23T10:30:00Z", note: "check the deploy" }),
      toolUse("schedule", { cron: "0 * * * *", note: "hourly look" }),
      toolUse("stay_quiet", { reason: "scheduled" }),
    );
    h.notice({ summary: "remind me to check the deploy at 10:30" });
    await h.ticks(2);
    expect(h.server.requests).toHaveLength(3);
    await h.ticks(65, MINUTE); // through 10:30 and 11:00
    const woken = h.server.requests.slice(3).map((request) => JSON.stringify(request.body.messages));
    expect(woken).toHaveLength(2);
    expect(woken[0]).toContain("check the deploy");
    expect(woken[1]).toContain("hourly look");
  });
});

describe("crash recovery (in process)", () => {
  it("an action started but never finished is journaled as outcome unknown and never rerun", async () => {
    const h = await startHarness();
    const eventId = h.notice({ summary: "tell me about PR 9" });
    const { ledger } = h.runtime.turn.toolDeps;
    // What a crash between intent and outcome leaves: a claimed event and a started action.
    h.ctx.events.claim("turn-that-died");
    h.ctx.db.prepare("INSERT INTO turns (id, reason, started_at) VALUES ('turn-that-died', 'test', ?)").run(h.clock.now().toISOString());
    const input = { title: "PR 9", body: "needs review" };
    ledger.start("turn-that-died", "toolu_1", "notify", input, h.clock.now());

    recoverInterrupted(h.runtime);
    const unknown = h.journal("error");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.summary).toContain("outcome unknown: notify");
    expect(h.ctx.events.countPending()).toBe(1);

    h.server.script(toolUse("notify", input), toolUse("stay_quiet", { reason: "already told" }));
    await h.ticks(2);
    const acted = h.journal("acted");
    expect(acted).toHaveLength(1);
    expect(acted[0]!.summary).toContain("not repeated");
    expect(h.journal("quiet")[0]!.data).toMatchObject({ events: 1 });
    expect(h.ctx.db.prepare("SELECT state FROM events WHERE id = ?").pluck().get(eventId)).toBe("done");
  });
});

describe("an event interrupted twice", () => {
  it("still does not repeat an action its first interrupted turn made", async () => {
    const h = await startHarness();
    h.notice({ summary: "ping me about PR 5" });
    const input = { title: "PR 5", body: "ready" };
    const { ledger } = h.runtime.turn.toolDeps;
    h.ctx.events.claim("first-turn");
    ledger.finish(ledger.start("first-turn", "toolu_a", "notify", input, h.clock.now()), "done", "delivered", h.clock.now());
    h.ctx.events.releaseAbandoned(); // the first turn died after notifying
    h.ctx.events.claim("second-turn");
    h.ctx.events.releaseAbandoned(); // the second died before doing anything
    h.server.script(toolUse("notify", input), toolUse("stay_quiet", { reason: "done" }));
    await h.ticks(2);
    expect(h.journal("acted").map((entry) => entry.summary)).toEqual(["notify not repeated: already done in interrupted turn first-turn"]);
  });
});

describe("stopping", () => {
  it("aborting the turn in flight hands its events back without counting a model failure", async () => {
    const h = await startHarness();
    h.server.script({ kind: "hang" });
    h.notice({ summary: "slow one" });
    h.clock.advance(5000);
    await h.supervisor.tick();
    while (h.server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    h.supervisor.abort();
    await h.supervisor.idle();
    expect(h.ctx.events.countPending()).toBe(1);
    expect(h.journal("error")).toHaveLength(0);
    expect(h.journal("system").at(-1)!.summary).toBe("turn handed back at stop: 1 event(s) pending again");
    expect(h.runtime.health.backoffUntil()).toBeUndefined();
  });
});

describe("rules provider (no API key)", () => {
  it("a matching event notifies, the rest are left for review, and no model is called", async () => {
    const h = await startHarness({ provider: "rules", config: `${BASE_CONFIG}rules: [ { when: { source: user }, do: notify } ]\n` });
    h.notice({ summary: "ping me" });
    await h.ticks(2);
    expect(h.journal("acted")[0]).toMatchObject({ summary: expect.stringContaining("notify"), data: { outcome: "ok" } });
    expect(h.journal("decided").at(-1)!.summary).toMatch(/rules: 1 notification/);

    h.notice({ summary: "src/a.ts changed", source: "files", type: "change" });
    await h.ticks(2);
    expect(h.journal("quiet").at(-1)!.summary).toMatch(/no model configured.*1 event\(s\) left for review/);
    expect(h.server.requests).toHaveLength(0);
  });
});
