import { describe, expect, it } from "vitest";
import { createMorningReviewJob } from "../../daemon/schedule/send-morning-review.js";
import { createSupervisor } from "../../daemon/supervisor/supervisor.js";
import { apiError, text, toolUse } from "../support/messages-api-server.js";
import { startHarness } from "../support/daemon-harness.js";
import { cleanEnv, runVigil } from "../support/run-vigil.js";

describe("vigil review", () => {
  it("a seeded day: wakes, quiet ones, actions with outcomes, errors, events for you, tokens and cost", async () => {
    const h = await startHarness({ start: "2026-11-23T09:00:00Z" });
    h.server.script(toolUse("stay_quiet", { reason: "nothing yet" }));
    h.notice({ summary: "review PR 42 when CI is green" });
    await h.ticks(2);
    h.server.script(toolUse("notify", { title: "PR 42", body: "CI is green", url: "https://github.com/octo/app/pull/42" }), text("Told the user."));
    h.notice({ source: "github", type: "check_run.completed", trust: "untrusted", summary: "octo/app#42 check test completed: success" });
    await h.ticks(2);
    h.server.script(apiError(529), apiError(529), apiError(529));
    h.notice({ summary: "anything else?" });
    await h.ticks(2);

    const result = runVigil(["review", "--day", "2026-11-23", "--json"], cleanEnv(h.home));
    expect(result.code).toBe(0);
    const digest = JSON.parse(result.stdout);
    expect(digest).toMatchObject({ days: ["2026-11-23"], wakes: 2, quiet: 1, events: 3 });
    expect(digest.actions).toEqual([expect.objectContaining({ tool: "notify", outcome: "ok" })]);
    expect(digest.errors).toHaveLength(1);
    expect(digest.errors[0].summary).toMatch(/model call failed/);
    expect(digest.notable.map((item: { summary: string }) => item.summary)).toEqual([
      "user/message: review PR 42 when CI is green",
      "github/check_run.completed: octo/app#42 check test completed: success",
      "user/message: anything else?",
    ]);
    const usage = h.runtime.turn.usage.forDay("2026-11-23");
    expect(digest.tokens).toMatchObject({ calls: 3, input: usage.input, cacheRead: usage.cacheRead, cacheWrite: usage.cacheWrite, output: usage.output });
    const expected = (usage.input * 3 + usage.output * 15 + usage.cacheWrite * 6 + usage.cacheRead * 0.3) / 1e6;
    expect(digest.costUsd).toBeCloseTo(expected, 10);
    expect(digest.logs[0]).toMatch(/logs\/2026\/11\/2026-11-23\.md$/);

    const readable = runVigil(["review", "--day", "2026-11-23"], cleanEnv(h.home)).stdout;
    expect(readable).toContain("2 wake(s), 1 stayed quiet");
    expect(readable).toContain("Full log:");
  });

  it("review.cron sends the digest once per slot, restarts included", async () => {
    const h = await startHarness({ start: "2026-11-23T07:58:00Z" });
    const job = createMorningReviewJob(h.ctx, h.runtime);
    const supervisor = createSupervisor(h.runtime, "anthropic", [job]);
    for (let i = 0; i < 40; i++) {
      h.clock.advance(5000);
      await supervisor.tick();
    }
    const again = createSupervisor(h.runtime, "anthropic", [createMorningReviewJob(h.ctx, h.runtime)]);
    for (let i = 0; i < 10; i++) {
      h.clock.advance(5000);
      await again.tick();
    }
    const sent = h.journal("system").filter((entry) => entry.summary.startsWith("morning review sent"));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.ts).toBe("2026-11-23T08:00:00.000Z");
  });
});
