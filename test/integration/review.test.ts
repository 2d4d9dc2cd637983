import { describe, expect, it } from "vitest";
import { createMorningReviewJob } from "../../daemon/schedule/send-morning-review.js";
import { createSupervisor } from "../../daemon/supervisor/supervisor.js";
import { apiError, text, toolUse } from "../support/messages-api-server.js";
import { startHarness } from "../support/daemon-harness.js";
import { cleanEnv, runVigil } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

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

  it("the why: each decision's reason, each message handled or not, multi-line text indented, only existing log files", async () => {
    const h = await startHarness({ start: "2026-11-23T09:00:00Z" });
    h.server.script(toolUse("stay_quiet", { reason: "nothing due before 3pm" }));
    h.notice({ summary: "remind me at 3pm" });
    await h.ticks(2);
    h.server.script(toolUse("notify", { title: "Plants", body: "water them" }), text("Reminded you.\nAlso noted it for tomorrow."));
    h.notice({ summary: "tell me about the plants" });
    await h.ticks(2);
    h.notice({ summary: "one more thing" });
    const readable = runVigil(["review", "--day", "2026-11-23"], cleanEnv(h.home)).stdout;
    expect(readable).toContain('Your messages:\n- 09:00 "remind me at 3pm" — looked at, nothing done: nothing due before 3pm\n- 09:00 "tell me about the plants" — handled: Reminded you.\n  Also noted it for tomorrow.\n- 09:00 "one more thing" — not looked at yet');
    expect(readable).toContain("Decisions:\n- 09:00 stayed quiet: nothing due before 3pm (woke for: 1 pending event(s))\n- 09:00 acted (notify): Reminded you.\n  Also noted it for tomorrow. (woke for: 1 pending event(s))");
    expect(readable).toMatch(/Full log: \S+2026-11-23\.md\n$/);
    expect(runVigil(["review", "--day", "2026-11-01"], cleanEnv(h.home)).stdout).toContain("No daily log file for these days.");
  });

  it("a message the rules provider cannot act on is flagged as not handled", () => {
    const home = makeTempHome();
    expect(runVigil(["tell", "remind me at 3pm"], cleanEnv(home)).code).toBe(0);
    expect(runVigil(["start", "--once"], cleanEnv(home)).code).toBe(0);
    const digest = JSON.parse(runVigil(["review", "--day", "today", "--json"], cleanEnv(home)).stdout);
    expect(digest.messages).toEqual([expect.objectContaining({ text: "remind me at 3pm", status: "unhandled" })]);
    expect(runVigil(["review", "--day", "today"], cleanEnv(home)).stdout).toContain('"remind me at 3pm" — NOT handled: the rules provider cannot act on a message (set ANTHROPIC_API_KEY, or add a rule)');
  });

  it("a tool whose precondition is missing is not offered: no GitHub token, no github_comment", async () => {
    const without = await startHarness();
    without.notice({ summary: "hello" });
    await without.ticks(2);
    const offered = (h: typeof without) => h.server.requests[0]!.body.tools!.map((tool) => tool.name);
    expect(offered(without)).not.toContain("github_comment");
    expect(offered(without)).not.toContain("github_review");
    expect(offered(without)).toContain("notify");
    const withToken = await startHarness({ env: { GITHUB_TOKEN: "ghp_test_token" } });
    withToken.notice({ summary: "hello" });
    await withToken.ticks(2);
    expect(offered(withToken)).toEqual(expect.arrayContaining(["github_comment", "github_review"]));
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
