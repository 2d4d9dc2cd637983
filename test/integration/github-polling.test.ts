import { afterEach, describe, expect, it } from "vitest";
import { createGithubPoller } from "../../daemon/github/github-poller.js";
import { normalizeGithubEvent } from "../../daemon/github/normalize-github-event.js";
import { takeInGithubChange } from "../../daemon/github/take-in-github-change.js";
import { runToolCall } from "../../daemon/tools/run-tool-call.js";
import { BASE_CONFIG, startHarness, type Harness } from "../support/daemon-harness.js";
import { makePull, startGithubApiServer, type GithubApiServer } from "../support/github-api-server.js";

const TOKEN = "ghp_testtoken0123456789abcdefghijklmn";
let api: GithubApiServer;
afterEach(async () => api?.close());

async function setup(policy = "") {
  api = await startGithubApiServer();
  const h = await startHarness({
    config: `${BASE_CONFIG}github: { token: env:GH_TOKEN_FOR_TEST, apiBaseUrl: "${api.url}", subscriptions: ["octo/app#7"] }\n${policy}`,
    env: { GH_TOKEN_FOR_TEST: TOKEN },
  });
  h.runtime.subscriptions.addFromConfig([{ repo: "octo/app", number: 7 }], h.clock.now());
  const poller = createGithubPoller({ ...h.ctx, subscriptions: h.runtime.subscriptions, github: h.runtime.github, intervalSeconds: 60 });
  return { h, poller };
}

const githubEvents = (h: Harness) => h.ctx.db.prepare("SELECT type, summary FROM events WHERE source = 'github' ORDER BY id").all() as Array<{ type: string; summary: string }>;

describe("GitHub polling against a loopback REST server", () => {
  it("the first poll emits, the second gets 304s and emits nothing; a new head and a finished check emit once", async () => {
    const { h, poller } = await setup();
    api.pulls.set("octo/app#7", makePull("octo/app", 7, "aaa111"));
    const first = await poller.pollOnce();
    expect(first).toMatchObject({ queued: 1, notModified: 0 });
    expect(githubEvents(h).map((e) => e.type)).toEqual(["pull_request.opened"]);
    expect(api.requests[0]!.headers.authorization).toContain(TOKEN);

    const second = await poller.pollOnce();
    expect(second).toMatchObject({ queued: 0, notModified: second.requests });
    expect(api.requests.slice(-2).every((r) => r.headers["if-none-match"])).toBe(true);

    api.pulls.set("octo/app#7", makePull("octo/app", 7, "bbb222", { updated_at: "2026-11-21T10:00:00Z" }));
    api.checkRuns.set("bbb222", [{ id: 9, name: "test", status: "completed", conclusion: "failure", head_sha: "bbb222", html_url: "https://github.com/octo/app/runs/9" }]);
    expect((await poller.pollOnce()).queued).toBe(2);
    expect(githubEvents(h).map((e) => e.type)).toEqual(["pull_request.opened", "pull_request.synchronize", "check_run.completed"]);
    expect(githubEvents(h)[2]!.summary).toContain("octo/app#7 check test completed: failure");
    expect((await poller.pollOnce()).queued).toBe(0);
  });

  it("each followed PR keeps its own ETag: two PRs, both 304 on the second poll", async () => {
    const { h, poller } = await setup();
    h.runtime.subscriptions.add({ repo: "octo/app", number: 8 }, "cli", h.clock.now());
    api.pulls.set("octo/app#7", makePull("octo/app", 7, "a7"));
    api.pulls.set("octo/app#8", makePull("octo/app", 8, "a8"));
    expect((await poller.pollOnce()).queued).toBe(2);
    const second = await poller.pollOnce();
    expect(second.requests).toBe(4); // two PRs and the check runs of their two heads
    expect(second.notModified).toBe(4);
  });

  it("a webhook and a poll of the same change give one event", async () => {
    const { h, poller } = await setup();
    const pull = makePull("octo/app", 7, "ccc333");
    api.pulls.set("octo/app#7", pull);
    await poller.pollOnce();
    const pushed = makePull("octo/app", 7, "ddd444");
    takeInGithubChange({ ...h.ctx, subscriptions: h.runtime.subscriptions }, normalizeGithubEvent("pull_request", { action: "synchronize", pull_request: pushed, repository: { full_name: "octo/app" }, sender: { login: "octocat" } })!);
    api.pulls.set("octo/app#7", pushed);
    await poller.pollOnce();
    expect(githubEvents(h).filter((e) => e.type === "pull_request.synchronize")).toHaveLength(1);
  });

  it("honours X-Poll-Interval, Retry-After and an exhausted rate limit", async () => {
    const { h, poller } = await setup();
    api.pulls.set("octo/app#7", makePull("octo/app", 7, "eee555"));
    expect((await poller.pollOnce()).nextDelayMs).toBe(60_000);
    api.headers["x-poll-interval"] = "120";
    expect((await poller.pollOnce()).nextDelayMs).toBe(120_000);
    api.headers["retry-after"] = "300";
    expect((await poller.pollOnce()).nextDelayMs).toBe(300_000);
    api.headers["x-ratelimit-remaining"] = "0";
    api.headers["x-ratelimit-reset"] = String(Math.floor(h.clock.now().getTime() / 1000) + 1800);
    expect((await poller.pollOnce()).nextDelayMs).toBeGreaterThan(1_700_000);
  });

  it("github_comment and github_review send the right requests; API errors come back as tool errors", async () => {
    const { h } = await setup("tools: { policy: { github_comment: auto, github_review: auto } }\n");
    api.pulls.set("octo/app#7", makePull("octo/app", 7, "fff666"));
    const scope = { turnId: "t1", now: h.clock.now(), timeZone: "UTC", previousTurns: [] };
    const comment = await runToolCall(h.runtime.turn.toolDeps, { id: "c1", name: "github_comment", input: { repo: "octo/app", number: 7, body: "CI is red: see the failing test" } }, scope);
    expect(comment).toMatchObject({ content: expect.stringContaining("issuecomment") });
    expect(api.requests.at(-1)).toMatchObject({ method: "POST", path: "/repos/octo/app/issues/7/comments", body: { body: "CI is red: see the failing test" } });

    const review = await runToolCall(h.runtime.turn.toolDeps, { id: "r1", name: "github_review", input: { repo: "octo/app", number: 7, event: "REQUEST_CHANGES", body: "tests fail" } }, scope);
    expect(review.isError).toBeFalsy();
    expect(api.requests.at(-1)).toMatchObject({ method: "POST", path: "/repos/octo/app/pulls/7/reviews", body: { event: "REQUEST_CHANGES", body: "tests fail" } });

    const missing = await runToolCall(h.runtime.turn.toolDeps, { id: "c2", name: "github_comment", input: { repo: "octo/nope", number: 1, body: "x" } }, scope);
    expect(missing.isError).toBe(true);
    expect(missing.content).toMatch(/GitHub refused .*HTTP 404/);
  });

  it("external tools default to ask: the call waits for approval and nothing reaches GitHub", async () => {
    const { h } = await setup();
    const before = api.requests.length;
    const result = await runToolCall(h.runtime.turn.toolDeps, { id: "c1", name: "github_comment", input: { repo: "octo/app", number: 7, body: "hi" } }, { turnId: "t", now: h.clock.now(), timeZone: "UTC", previousTurns: [] });
    expect(result).toMatchObject({ deferred: true, content: expect.stringContaining("queued for the user's approval as #1") });
    expect(api.requests.length).toBe(before);
  });
});
