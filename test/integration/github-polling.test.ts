import { afterEach, describe, expect, it } from "vitest";
import { createGithubPoller } from "../../daemon/github/github-poller.js";
import { normalizeGithubEvent } from "../../daemon/github/normalize-github-event.js";
import { takeInGithubChange } from "../../daemon/github/take-in-github-change.js";
import { runToolCall } from "../../daemon/tools/run-tool-call.js";
import { BASE_CONFIG, startHarness, type Harness } from "../support/daemon-harness.js";
import { makePull, startGithubApiServer, type GithubApiServer } from "../support/github-api-server.js";
import { githubExamples } from "../support/github-examples.js";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigilAsync } from "../support/run-vigil.js";

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
  const poller = createGithubPoller({ ...h.ctx, store: h.runtime.store, subscriptions: h.runtime.subscriptions, github: h.runtime.github, intervalSeconds: 60 });
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

  it("two followed PRs of one repository cost one conditional request, and nothing changed is all 304s", async () => {
    const { h, poller } = await setup();
    h.runtime.subscriptions.add({ repo: "octo/app", number: 8 }, "cli", h.clock.now());
    api.pulls.set("octo/app#7", makePull("octo/app", 7, "a7"));
    api.pulls.set("octo/app#8", makePull("octo/app", 8, "a8"));
    expect((await poller.pollOnce()).queued).toBe(2);
    const second = await poller.pollOnce();
    expect(second.requests).toBe(4); // notifications, the repository's open PRs, the check runs of the two new heads
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

/** Real payload shapes from @octokit/webhooks-examples: the webhook side gets them whole, the REST stand-in serves their objects. */
function conversationExamples() {
  const pick = (name: string, action: string) => githubExamples([name]).find((example) => example.payload.action === action)!.payload;
  const review = pick("pull_request_review", "submitted");
  const reviewComment = pick("pull_request_review_comment", "created");
  const requested = pick("pull_request", "review_requested");
  const commented = pick("issue_comment", "created");
  const repo = String(requested.repository.full_name).toLowerCase();
  const number = requested.pull_request.number as number;
  const pull = { ...requested.pull_request, requested_reviewers: [], updated_at: "2019-05-15T15:00:00Z" };
  const comment = { ...commented.comment, body: "@octocat could you look at the failing test?", created_at: "2019-05-15T15:20:40Z", updated_at: "2019-05-15T15:20:40Z" };
  const issue = { ...commented.issue, number, pull_request: { url: pull.url } };
  return {
    repo,
    number,
    pull,
    changed: { ...requested.pull_request, updated_at: "2019-05-15T15:21:00Z" },
    comment,
    review: review.review,
    reviewComment: reviewComment.comment,
    webhooks: [
      ["pull_request", requested],
      ["issue_comment", { ...commented, issue, comment, repository: requested.repository }],
      ["pull_request_review", { ...review, repository: requested.repository }],
      ["pull_request_review_comment", { ...reviewComment, repository: requested.repository }],
    ] as Array<[string, Record<string, any>]>,
  };
}

describe("polling sees the conversation, as webhooks do", () => {
  async function conversationSetup() {
    const ex = conversationExamples();
    api = await startGithubApiServer();
    const h = await startHarness({ config: `${BASE_CONFIG}github: { token: env:GH_TOKEN_FOR_TEST, apiBaseUrl: "${api.url}" }\n`, env: { GH_TOKEN_FOR_TEST: TOKEN } });
    h.runtime.subscriptions.add({ repo: ex.repo, number: ex.number }, "cli", h.clock.now());
    const poller = createGithubPoller({ ...h.ctx, store: h.runtime.store, subscriptions: h.runtime.subscriptions, github: h.runtime.github, intervalSeconds: 60 });
    api.pulls.set(`${ex.repo}#${ex.number}`, ex.pull);
    return { ex, h, poller, key: `${ex.repo}#${ex.number}` };
  }

  it("a review request, a comment (with its mention), a review and a review comment each become the webhook's event, and the same change from both paths is one", async () => {
    const { ex, h, poller, key } = await conversationSetup();
    await poller.pollOnce();
    expect(githubEvents(h).map((e) => e.type)).toEqual(["pull_request.opened"]);

    api.pulls.set(key, ex.changed);
    api.issueComments.set(key, [ex.comment]);
    api.reviews.set(key, [ex.review]);
    api.reviewComments.set(key, [ex.reviewComment]);
    expect((await poller.pollOnce()).queued).toBe(4);
    const types = githubEvents(h).map((e) => e.type);
    expect(types).toEqual(["pull_request.opened", "pull_request.review_requested", "issue_comment.created", "pull_request_review.submitted", "pull_request_review_comment.created"]);
    const comment = h.ctx.db.prepare("SELECT payload FROM events WHERE type = 'issue_comment.created'").get() as { payload: string };
    expect(JSON.parse(comment.payload)).toMatchObject({ mentions: ["octocat"], text: "@octocat could you look at the failing test?" });

    // The same four changes arriving by webhook afterwards are the same events: nothing new.
    for (const [name, payload] of ex.webhooks) {
      const result = takeInGithubChange({ ...h.ctx, subscriptions: h.runtime.subscriptions }, normalizeGithubEvent(name, payload)!);
      expect(result).toMatchObject({ queued: true, duplicate: true });
    }
    expect(githubEvents(h)).toHaveLength(5);
    expect((await poller.pollOnce()).queued).toBe(0);
  });

  it("webhook first, poll second: still one event each", async () => {
    const { ex, h, poller, key } = await conversationSetup();
    await poller.pollOnce();
    for (const [name, payload] of ex.webhooks) takeInGithubChange({ ...h.ctx, subscriptions: h.runtime.subscriptions }, normalizeGithubEvent(name, payload)!);
    api.pulls.set(key, ex.changed);
    api.issueComments.set(key, [ex.comment]);
    api.reviews.set(key, [ex.review]);
    api.reviewComments.set(key, [ex.reviewComment]);
    expect((await poller.pollOnce()).queued).toBe(0);
    expect(githubEvents(h)).toHaveLength(5);
    expect(githubEvents(h).map((e) => e.type).slice(1).sort()).toEqual(["issue_comment.created", "pull_request.review_requested", "pull_request_review.submitted", "pull_request_review_comment.created"]);
  });

  it("a mention the Notifications API reports is read even when the PR's listing is unchanged; an idle poll is all 304s", async () => {
    const { ex, h, poller, key } = await conversationSetup();
    await poller.pollOnce();
    const idle = await poller.pollOnce();
    expect(idle.notModified).toBe(idle.requests);
    expect(api.requests.filter((request) => request.path === "/notifications").at(-1)!.headers["if-modified-since"]).toBe(api.notificationsModified);

    api.issueComments.set(key, [ex.comment]);
    api.notifications = [{ reason: "mention", subject: { type: "PullRequest", url: `https://api.github.com/repos/${ex.repo}/pulls/${ex.number}` }, repository: { full_name: ex.repo } }];
    api.notificationsModified = "Wed, 15 May 2019 15:21:00 GMT";
    expect((await poller.pollOnce()).queued).toBe(1);
    expect(githubEvents(h).at(-1)!.type).toBe("issue_comment.created");
  });
});

describe("the GitHub token", () => {
  it("without GITHUB_TOKEN the GitHub CLI's token is used; vigil doctor says which and the rate limit left", async () => {
    api = await startGithubApiServer();
    const home = makeTempHome();
    const bin = path.join(home, "bin");
    mkdirSync(bin);
    // A stand-in for the GitHub CLI: it answers `gh auth token` as a logged-in gh does.
    writeFileSync(path.join(bin, "gh"), `#!/bin/sh\n[ "$1 $2" = "auth token" ] && echo ${TOKEN} && exit 0\nexit 1\n`);
    chmodSync(path.join(bin, "gh"), 0o755);
    writeFileSync(path.join(home, "config.yaml"), `server: { port: 0 }\nnotify: { desktop: false }\ngithub: { apiBaseUrl: "${api.url}", poll: { enabled: true }, subscriptions: ["octo/app#7"] }\n`);
    const env = cleanEnv(home, { PATH: `${bin}:${process.env.PATH}` });
    const doctor = await runVigilAsync(["doctor", "--json"], env);
    const github = (JSON.parse(doctor.stdout) as Array<{ name: string; ok: boolean; detail: string }>).find((check) => check.name === "github");
    expect(github).toMatchObject({ ok: true, detail: expect.stringContaining("token from the GitHub CLI (gh auth token); rate limit 4990/5000 left") });
    expect(doctor.stdout).not.toContain(TOKEN);
    expect(api.requests.find((request) => request.path === "/rate_limit")!.headers.authorization).toContain(TOKEN);
  });
});
