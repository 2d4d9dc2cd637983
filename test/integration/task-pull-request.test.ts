import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runToolCall } from "../../daemon/tools/run-tool-call.js";
import type { Harness } from "../support/daemon-harness.js";
import { toolUse } from "../support/messages-api-server.js";
import { makePullRequestRemote } from "../support/pull-request-remote.js";
import { checkSystemTools } from "../support/system-tools.js";
import { respond, runOneTask, startTaskHarness, workerResults } from "../support/task-harness.js";
import { git, isWorkerRequest, workerResponder } from "../support/task-repo.js";
import { cleanEnv, runVigilAsync } from "../support/run-vigil.js";

const gitTool = checkSystemTools({ git: "git" });

const CLONES = "github: { clones: { \"octo/app\": $REPO } }\n";
/** push_task_branch on auto: only the task's untrusted result stands between a PR's code and origin. */
const POLICY = "{ start_task: auto, push_task_branch: auto }";

/** What the user's clone looks like from outside: every ref, HEAD, the working tree, FETCH_HEAD. */
function snapshot(repo: string) {
  return {
    status: git(repo, "status", "--porcelain"),
    head: git(repo, "rev-parse", "HEAD"),
    refs: git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
    fetchHead: existsSync(path.join(repo, ".git", "FETCH_HEAD")),
  };
}

/** The refs Vigil adds to the user's clone: its task branch and its copy of the PR head. */
const withoutVigilRefs = (refs: string) => refs.split("\n").filter((line) => !/^refs\/(heads\/vigil|vigil)\//.test(line)).join("\n");

const startTask = (h: Harness, ref: string) =>
  runToolCall(h.runtime.turn.toolDeps, { id: `c-${ref}`, name: "start_task", input: { repo: "octo/app", goal: "review it", ref } }, { turnId: `t-${ref}`, now: h.clock.now(), timeZone: "UTC", previousTurns: [] });

describe.skipIf(gitTool.skip)(gitTool.title("tasks on a pull request: ref pr:N"), () => {
  beforeAll(() => gitTool.assertPresent());

  it("bases the task on the PR's head fetched into Vigil's own ref, leaves the user's clone as it was, and treats the result as untrusted", async () => {
    const { h, repo, runner } = await startTaskHarness(CLONES, {}, POLICY);
    const pr = makePullRequestRemote(repo, 7, { "feature.js": 'export const feature = "draft";\n' });
    const before = snapshot(repo);
    const steps = [toolUse("read_file", { path: "feature.js" }), toolUse("edit_file", { path: "feature.js", old: "draft", new: "ready" }), toolUse("finish_task", { summary: "Marked the feature ready" })];
    h.server.setFallback(respond(workerResponder(steps), { goal: "finish PR 7", repo: "octo/app", ref: "pr:7" }));

    await runOneTask(h, runner, "please finish PR 7");

    const task = h.runtime.tasks.get(1)!;
    expect(task).toMatchObject({ state: "done", repo: "octo/app", ref: "pr:7", baseCommit: pr.head });
    expect(workerResults(h)[0]).toMatchObject({ is_error: false, content: expect.stringContaining('export const feature = "draft"') });
    expect(JSON.stringify(h.server.requests.find(isWorkerRequest)!.body.system)).toContain("PR #7: feature.js");
    expect(readFileSync(path.join(task.worktree!, "feature.js"), "utf8")).toBe('export const feature = "ready";\n');
    expect(git(repo, "rev-parse", "vigil/task-1^").trim()).toBe(pr.head);

    // The user's clone: same tree, HEAD and refs but Vigil's two; no tag, remote-tracking ref or FETCH_HEAD taken on the side.
    const after = snapshot(repo);
    expect({ ...after, refs: withoutVigilRefs(after.refs) }).toEqual({ ...before, refs: withoutVigilRefs(before.refs) });
    expect(git(repo, "rev-parse", "refs/vigil/pull/7").trim()).toBe(pr.head);
    expect(after.refs).toContain("refs/heads/vigil/task-1 ");
    expect(existsSync(path.join(repo, "feature.js"))).toBe(false);
    expect(h.journal("task")[0]!.data).toMatchObject({ to: "queued", ref: "pr:7", baseCommit: pr.head });

    // Anyone may have written a PR's code: its result is untrusted, fenced for the model, and taints the turn that reads it.
    const noticed = h.journal("noticed").find((row) => row.data.source === "task")!;
    expect(noticed.data).toMatchObject({ type: "finished", trust: "untrusted" });
    await h.ticks(1, 2000);
    const heartbeat = h.server.requests.filter((request) => !isWorkerRequest(request)).at(-1)!;
    expect(JSON.stringify(heartbeat.body.messages)).toMatch(/<untrusted-data source=\\"task\\"/);
    const approvals = h.runtime.turn.toolDeps.approvals.pending(h.clock.now());
    expect(approvals.map((item) => item.tool)).toEqual(["push_task_branch", "open_pull_request"]);
    expect(approvals[0]!.reason).toMatch(/untrusted outside text/);
    expect(git(pr.remote, "for-each-ref", "refs/heads/vigil")).toBe("");
  });

  it("an approval pins the PR's head as it was when asked: a later push does not change what runs, a force-push refuses it", async () => {
    const { h, repo } = await startTaskHarness(CLONES, {}, "{ start_task: ask }");
    const pr = makePullRequestRemote(repo, 7, { "feature.js": "v1\n" });
    const push = (content: string, ...flags: string[]) => {
      writeFileSync(path.join(pr.contributor, "feature.js"), content);
      git(pr.contributor, "add", "-A");
      git(pr.contributor, "commit", "--quiet", "-m", `PR #7: ${content.trim()}`);
      git(pr.contributor, "push", "--quiet", ...flags, "origin", `HEAD:refs/pull/7/head`);
      return git(pr.contributor, "rev-parse", "HEAD").trim();
    };

    expect(await startTask(h, "pr:7")).toMatchObject({ deferred: true });
    const [asked] = h.runtime.turn.toolDeps.approvals.pending(h.clock.now());
    // What the user sees and approves is the commit, not a name someone else can move.
    expect(JSON.parse(asked!.input)).toEqual({ repo: "octo/app", goal: "review it", ref: `pr:7@${pr.head}` });
    const pushedAfter = push("v2\n");
    const env = cleanEnv(h.home);
    expect(await runVigilAsync(["approve", String(asked!.id)], env)).toMatchObject({ code: 0, stdout: expect.stringContaining(`from ${pr.head.slice(0, 12)}`) });
    expect(h.runtime.tasks.get(1)).toMatchObject({ ref: `pr:7@${pr.head}`, baseCommit: pr.head });
    expect(git(repo, "rev-parse", "refs/vigil/pull/7").trim()).toBe(pushedAfter);

    // Asked again (pinned to v2), then the contributor rewrites the PR: the approved commit is gone from it.
    expect(await startTask(h, "pr:7")).toMatchObject({ deferred: true });
    const [again] = h.runtime.turn.toolDeps.approvals.pending(h.clock.now());
    expect(JSON.parse(again!.input).ref).toBe(`pr:7@${pushedAfter}`);
    git(pr.contributor, "reset", "--quiet", "--hard", "HEAD~2");
    push("rewritten\n", "--force");
    const refused = await runVigilAsync(["approve", String(again!.id)], env);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining(`pull request #7 no longer contains ${pushedAfter.slice(0, 12)}, the commit this task was approved for (it was force-pushed since); nothing was started`) });
    expect(h.runtime.tasks.list().map((task) => task.id)).toEqual([1]);
  });

  it("refuses a PR that is not on origin, a clone without origin, and refs that could pass for git options or ranges, starting nothing", async () => {
    const { h, repo } = await startTaskHarness(CLONES, {}, POLICY);
    expect(await startTask(h, "pr:7")).toMatchObject({ isError: true, content: `pr:7 needs a remote named origin in ${repo} to fetch refs/pull/7/head from; it has none (git remote add origin URL)` });

    const pr = makePullRequestRemote(repo, 7, { "feature.js": "x\n" });
    const before = snapshot(repo);
    expect(await startTask(h, "pr:99")).toMatchObject({ isError: true, content: `pull request #99 is not on origin (${pr.remote}): it has no refs/pull/99/head; check the number` });
    for (const ref of ["-x", "--upload-pack=touch pwned", "main..pr", "a..b"]) {
      expect(await startTask(h, ref)).toMatchObject({ isError: true, content: `"${ref}" is not a branch, commit or pr:N` });
    }
    expect(await startTask(h, "no-such-branch")).toMatchObject({ isError: true, content: `"no-such-branch" is not a branch or commit in ${repo}` });

    expect(h.runtime.tasks.list()).toEqual([]);
    expect(h.journal("task")).toEqual([]);
    expect(snapshot(repo)).toEqual(before);
    expect(existsSync(path.join(repo, "pwned"))).toBe(false);
  });
});
