import { describe, expect, it } from "vitest";
import { text, toolUse, type RecordedRequest } from "../support/messages-api-server.js";
import { BASE_CONFIG, startHarness } from "../support/daemon-harness.js";

const MINUTE = 60_000;
const IDLE_CONFIG = BASE_CONFIG.replace("idleWakeMinutes: 0", "idleWakeMinutes: 30");
const models = (requests: RecordedRequest[]) => requests.map((request) => request.body.model);

/** A quiet world: the triage model (asked without tools) says `answer`, the main model stays quiet. */
async function quietWorld(answer = "no") {
  // Early in a day, so the 12 hours below stay in it (a new day is a changed input).
  const h = await startHarness({ config: IDLE_CONFIG, start: "2026-11-23T06:00:00Z" });
  h.server.setFallback((request) => (request.body.tools ? toolUse("stay_quiet", { reason: "nothing to do" }) : text(answer)));
  return h;
}

describe("idle wakes: a cheap look, a gate and a back-off", () => {
  it("go to the triage model by default; quiet ones back off and unchanged ones are skipped, but a look comes at least every 4 h", async () => {
    const h = await quietWorld();
    await h.ticks(31, MINUTE);
    expect(models(h.server.requests)).toEqual(["claude-haiku-5-5"]);
    expect(h.server.requests[0]!.body.tools).toBeUndefined();
    expect(h.server.requests[0]!.raw).not.toContain("cache_control");
    expect(h.journal("quiet").at(-1)!.summary).toBe("triage: nothing worth doing");
    // Due again after 1 h, then 2 h: nothing changed since the quiet look, so no model call.
    await h.ticks(418, MINUTE);
    expect(h.server.requests).toHaveLength(1);
    // The next wake (4 h later, the cap) is 7 h after the last look: time passing is news, so it looks.
    await h.ticks(2, MINUTE);
    expect(models(h.server.requests)).toEqual(["claude-haiku-5-5", "claude-haiku-5-5"]);
    await h.ticks(238, MINUTE);
    expect(h.server.requests).toHaveLength(2);
    await h.ticks(2, MINUTE);
    expect(h.server.requests).toHaveLength(3);
  });

  it("anything that happens ends the back-off: the next idle wake is 30 min after it, and looks", async () => {
    const h = await quietWorld();
    await h.ticks(31, MINUTE);
    await h.ticks(20, MINUTE);
    h.notice({ summary: "the deploy finished" });
    await h.ticks(1, MINUTE);
    expect(models(h.server.requests)).toEqual(["claude-haiku-5-5", "claude-sonnet-5-5"]);
    await h.ticks(29, MINUTE);
    expect(h.server.requests).toHaveLength(2);
    await h.ticks(2, MINUTE);
    expect(models(h.server.requests)).toEqual(["claude-haiku-5-5", "claude-sonnet-5-5", "claude-haiku-5-5"]);
  });

  it("a new journal row since the last quiet look is a changed input: that idle wake looks instead of being skipped", async () => {
    const h = await quietWorld();
    await h.ticks(31, MINUTE);
    h.ctx.journal.append({ kind: "system", summary: "a dream changed the memory" });
    await h.ticks(61, MINUTE);
    expect(models(h.server.requests)).toEqual(["claude-haiku-5-5", "claude-haiku-5-5"]);
  });

  it("only a 'yes' from the triage model reaches the main model, with the full tool set", async () => {
    const h = await quietWorld("yes");
    await h.ticks(31, MINUTE);
    expect(models(h.server.requests)).toEqual(["claude-haiku-5-5", "claude-sonnet-5-5"]);
    expect(h.server.requests[1]!.body.tools!.length).toBeGreaterThan(5);
    expect(JSON.stringify(h.server.requests[1]!.body.messages)).toContain("clock/idle");
  });

  it("a reminder due during a long back-off still wakes the main model at its time", async () => {
    const h = await quietWorld();
    await h.ticks(31, MINUTE);
    h.runtime.wakeups.addOnce(new Date(h.clock.now().getTime() + 100 * MINUTE), "check whether PR 42 got its review", "agent", h.clock.now());
    await h.ticks(99, MINUTE);
    expect(h.server.requests).toHaveLength(1);
    await h.ticks(2, MINUTE);
    expect(models(h.server.requests)).toEqual(["claude-haiku-5-5", "claude-sonnet-5-5"]);
    expect(JSON.stringify(h.server.requests[1]!.body.messages)).toContain("check whether PR 42 got its review");
  });
});
