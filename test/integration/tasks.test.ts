import { statSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { toolUse } from "../support/messages-api-server.js";
import { startGithubApiServer } from "../support/github-api-server.js";
import { cleanEnv, runVigil, runVigilAsync, waitFor } from "../support/run-vigil.js";
import { checkSystemTools } from "../support/system-tools.js";
import { FIX_STEPS, git, isWorkerRequest, workerResponder, workerStep } from "../support/task-repo.js";
import { respond, runOneTask, startTaskHarness, workerResults } from "../support/task-harness.js";

const gitTool = checkSystemTools({ git: "git" });
const sandboxTools = checkSystemTools({ bwrap: "bubblewrap" });

describe.skipIf(gitTool.skip)(gitTool.title("tasks: work in a worktree of its own"), () => {
  beforeAll(() => gitTool.assertPresent());
  it("fixes a failing test on the task branch in a forked worker, leaves the user's checkout untouched, journals every transition, and `vigil task apply` brings the fix over", async () => {
    const { h, repo, runner } = await startTaskHarness();
    // The user is in the middle of something: an edit and an untracked file.
    writeFileSync(path.join(repo, "README.md"), "# app\n\nwork in progress\n");
    writeFileSync(path.join(repo, "notes.txt"), "mine\n");
    const before = { status: git(repo, "status", "--porcelain"), head: git(repo, "rev-parse", "HEAD"), stash: git(repo, "stash", "list") };
    h.server.setFallback(respond(workerResponder(FIX_STEPS)));

    // A usual umask (the suite's own is 077): the worktree must come out private anyway.
    const umask = process.umask(0o022);
    try {
      await runOneTask(h, runner);
    } finally {
      process.umask(umask);
    }

    expect({ status: git(repo, "status", "--porcelain"), head: git(repo, "rev-parse", "HEAD"), stash: git(repo, "stash", "list") }).toEqual(before);
    expect(readFileSync(path.join(repo, "sum.js"), "utf8")).toContain("a - b");
    const task = h.runtime.tasks.get(1)!;
    expect(task).toMatchObject({ state: "done", branch: "vigil/task-1", attempt: 1, steps: 5, baseCommit: before.head.trim() });
    expect(git(repo, "show", "vigil/task-1:sum.js")).toContain("return a + b;");
    expect(git(repo, "log", "-1", "--format=%an <%ae>|%s", "vigil/task-1").trim()).toBe("Vigil <vigil@localhost>|Fix sum: it subtracted instead of adding");
    expect(git(repo, "rev-list", "--count", `${task.baseCommit}..vigil/task-1`).trim()).toBe("1");
    expect(task.worktree).toBe(path.join(h.home, "worktrees", "task-1"));
    // The worktree is under VIGIL_HOME: what git checked out and what the worker wrote is the user's alone.
    for (const name of ["test.js", "sum.js"]) expect(statSync(path.join(task.worktree!, name)).mode & 0o077).toBe(0);

    // The worker saw the failing test, then the passing one; its commands had no keys.
    const results = workerResults(h);
    expect(results[0]).toMatchObject({ is_error: true, content: expect.stringContaining("FAIL: sum(2, 3) is -1") });
    expect(results[3]).toMatchObject({ is_error: false, content: expect.stringContaining("PASS") });
    const workerFirst = h.server.requests.find(isWorkerRequest)!;
    expect(workerFirst.body.tools!.map((tool) => tool.name)).toEqual(["read_file", "list_dir", "search_files", "write_file", "run_command", "edit_file", "git_diff", "finish_task"]);
    expect(JSON.stringify(workerFirst.body.system)).toContain("Run the tests with `node test.js`.");
    expect(JSON.stringify(workerFirst.body.system)).toContain("sum and its test");

    const transitions = h.journal("task").map((row) => [row.data.from ?? null, row.data.to]);
    expect(transitions).toEqual([[null, "queued"], ["queued", "running"], ["running", "done"]]);
    const [event] = h.ctx.db.prepare("SELECT source, type, trust, payload FROM events WHERE source = 'task'").all() as Array<{ source: string; type: string; trust: string; payload: string }>;
    expect(event).toMatchObject({ type: "finished", trust: "trusted" });
    const payload = JSON.parse(event!.payload);
    expect(payload).toMatchObject({ taskId: 1, state: "done", branch: "vigil/task-1", summary: "Fix sum: it subtracted instead of adding\n\nnode test.js passes now." });
    expect(payload.diffstat).toContain("sum.js | 2 +-");
    expect(payload.testTail).toContain("PASS: sum(2, 3) is 5");
    expect(h.ctx.db.prepare("SELECT sum(calls) FROM usage").pluck().get()).toBeGreaterThanOrEqual(6);

    const env = cleanEnv(h.home);
    const list = runVigil(["tasks", "--json"], env);
    expect(JSON.parse(list.stdout).tasks[0]).toMatchObject({ id: 1, state: "done", repo: "app", branch: "vigil/task-1", goal: "the test in app fails: fix it" });
    expect(runVigil(["task", "show", "1"], env).stdout).toContain("+  return a + b;");
    const refused = runVigil(["task", "apply", "1"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("has uncommitted changes");
    expect(git(repo, "status", "--porcelain")).toBe(before.status);
    git(repo, "checkout", "--", "README.md");
    const applied = runVigil(["task", "apply", "1"], env);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(readFileSync(path.join(repo, "sum.js"), "utf8")).toContain("a + b");
    expect(git(repo, "log", "-1", "--format=%an|%cn").trim()).toBe("Vigil|Tess");
    expect(runVigil(["review", "--day", "today"], env).stdout).toContain("#1 done: task #1 done: Fix sum");

    const clean = runVigil(["task", "clean"], env);
    expect(clean.stdout).toContain("removed 1 worktree(s)");
    expect(existsSync(task.worktree!)).toBe(false);
    expect(git(repo, "branch", "--list", "vigil/*").trim()).toBe("vigil/task-1");
  });

  it("refuses every path outside the worktree: .., absolute paths, symlinks, and .git", async () => {
    const { h, repo, runner } = await startTaskHarness();
    const outside = path.join(path.dirname(repo), "secret.txt");
    writeFileSync(outside, "the user's secret\n");
    symlinkSync(outside, path.join(repo, "link.txt"));
    mkdirSync(path.join(repo, "sub"));
    symlinkSync(path.dirname(repo), path.join(repo, "sub", "up"));
    git(repo, "add", "-A");
    git(repo, "commit", "--quiet", "-m", "links");
    const attempts = [
      toolUse("read_file", { path: "../secret.txt" }),
      toolUse("read_file", { path: outside }),
      toolUse("read_file", { path: "link.txt" }),
      toolUse("write_file", { path: "../planted.txt", content: "x" }),
      toolUse("write_file", { path: "sub/up/planted.txt", content: "x" }),
      toolUse("edit_file", { path: "link.txt", old: "secret", new: "gone" }),
      toolUse("list_dir", { path: "sub/up" }),
      toolUse("search_files", { query: "secret", path: "sub/up" }),
      toolUse("read_file", { path: ".git" }),
      toolUse("write_file", { path: "/tmp/planted-by-a-task.txt", content: "x" }),
      toolUse("finish_task", { summary: "tried to leave" }),
    ];
    h.server.setFallback(respond(workerResponder(attempts)));
    await runOneTask(h, runner);

    const results = workerResults(h);
    expect(results).toHaveLength(attempts.length - 1);
    for (const result of results) expect(result).toMatchObject({ is_error: true, content: expect.stringMatching(/outside the workspace|inside \.git/) });
    expect(readFileSync(outside, "utf8")).toBe("the user's secret\n");
    expect(existsSync(path.join(path.dirname(repo), "planted.txt"))).toBe(false);
    expect(existsSync("/tmp/planted-by-a-task.txt")).toBe(false);
    expect(h.runtime.tasks.get(1)).toMatchObject({ state: "done", headCommit: null });
  });

  it.skipIf(sandboxTools.skip)(sandboxTools.title("the worker's commands run in the sandbox: VIGIL_HOME is hidden and only the worktree is writable"), async () => {
    sandboxTools.assertPresent();
    const { h, repo, runner } = await startTaskHarness();
    const planted = path.join(path.dirname(repo), "planted-by-a-command.txt");
    const command = `ls -a ${h.home}; cat ${path.join(h.home, "vigil.db")} >/dev/null && echo READ-THE-DB; echo x > ${planted}; echo ok > inside.txt; cat inside.txt`;
    h.server.setFallback(respond(workerResponder([toolUse("run_command", { command }), toolUse("finish_task", { summary: "probed the sandbox" })])));
    await runOneTask(h, runner);

    const [result] = workerResults(h);
    const content = (result as { content: string }).content;
    // VIGIL_HOME shows only the worktree bound into it; its database is not there to read.
    expect(content).toMatch(/^exit 0\n\.\n\.\.\nworktrees\n/);
    expect(content).toContain("vigil.db: No such file or directory");
    expect(content).not.toContain("READ-THE-DB");
    expect(content).toContain("\nok\n"); // stdout and stderr interleave in either order
    expect(existsSync(planted)).toBe(false);
    expect(git(repo, "show", "vigil/task-1:inside.txt")).toBe("ok\n");
  });

  it("ends a task as failed within its budget: steps, tokens, time", async () => {
    const { h, runner } = await startTaskHarness("tasks: { maxSteps: 3, maxTokens: 1000, timeoutMinutes: 0.05 }\n");
    const endless = workerResponder([], () => toolUse("list_dir", { path: "." }));
    h.server.setFallback(respond(endless));
    h.notice({ summary: "loop forever" });
    await h.ticks(1, 2000);
    // Steps: with the token budget lifted for this one task, the steps run out first.
    h.ctx.db.prepare("UPDATE tasks SET max_tokens = 10000000").run();
    await runner.tick(h.clock.now());
    await runner.idle();
    const steps = h.runtime.tasks.get(1)!;
    expect(steps).toMatchObject({ state: "failed", summary: "used all 3 steps without finishing", steps: 3 });
    expect(h.server.requests.filter(isWorkerRequest)).toHaveLength(3);

    // Tokens: the first call already costs more than 1000.
    h.notice({ summary: "loop forever again" });
    await h.ticks(1, 2000);
    await runner.tick(h.clock.now());
    await runner.idle();
    const tokens = h.runtime.tasks.get(2)!;
    expect(tokens.state).toBe("failed");
    expect(tokens.summary).toMatch(/^over the token budget \(\d+ of 1000\) after 1 step/);
    expect(tokens.steps).toBe(1);

    // Time: a model call that never answers is cut off by the 3 s timeout.
    h.server.setFallback(respond(() => ({ kind: "hang" })));
    h.notice({ summary: "hang" });
    await h.ticks(1, 2000);
    await runner.tick(h.clock.now());
    await runner.idle();
    expect(h.runtime.tasks.get(3)).toMatchObject({ state: "failed", summary: "over the time budget (3 s); killed" });
    const failed = h.ctx.db.prepare("SELECT count(*) FROM events WHERE source = 'task' AND type = 'failed'").pluck().get();
    expect(failed).toBe(3);
  });

  it("pushes the branch and opens a pull request only with the user's approval (the default), each once, even when asked again", async () => {
    const github = await startGithubApiServer();
    const token = "ghp_testtoken0123456789abcdefghijklmn";
    const { h, repo, runner } = await startTaskHarness(`github: { apiBaseUrl: "${github.url}", clones: { "octo/app": $REPO } }\n`, { GITHUB_TOKEN: token });
    const remote = path.join(path.dirname(repo), "remote.git");
    git(path.dirname(repo), "init", "--quiet", "--bare", remote);
    git(repo, "remote", "add", "origin", remote);
    h.server.setFallback(respond(workerResponder(FIX_STEPS), { goal: "fix the test", repo: "octo/app" }));
    try {
      await runOneTask(h, runner);
      expect(h.runtime.tasks.get(1)).toMatchObject({ state: "done", repo: "octo/app" });
      await h.ticks(1, 2000); // the task.finished event wakes a turn: both calls wait for approval
      const env = cleanEnv(h.home, { GITHUB_TOKEN: token });
      const approvals = h.runtime.turn.toolDeps.approvals.pending(h.clock.now()).map((item) => [item.id, item.tool]);
      expect(approvals).toEqual([[1, "push_task_branch"], [2, "open_pull_request"]]);
      expect(git(remote, "for-each-ref", "refs/heads")).toBe("");
      expect((await runVigilAsync(["approve", "1"], env)).stdout).toContain("pushed vigil/task-1");
      expect((await runVigilAsync(["approve", "2"], env)).stdout).toMatch(/opened pull request #\d+: https:\/\/github.com\/octo\/app\/pull\//);
      const created = github.requests.filter((request) => request.method === "POST" && request.path === "/repos/octo/app/pulls");
      expect(created.map((request) => request.body)).toEqual([{ title: "Fix sum", body: "sum subtracted", head: "vigil/task-1", base: "main" }]);

      h.notice({ summary: "ship it again" });
      await h.ticks(1, 2000);
      expect((await runVigilAsync(["approve", "3"], env)).stdout).toContain("already pushed");
      expect((await runVigilAsync(["approve", "4"], env)).stdout).toContain("already opened");
      expect(github.requests.filter((request) => request.method === "POST" && request.path.endsWith("/pulls"))).toHaveLength(1);
      expect(git(remote, "for-each-ref", "--format=%(refname)", "refs/heads").trim()).toBe("refs/heads/vigil/task-1");
    } finally {
      await github.close();
    }
  });

  it("`vigil task cancel` stops a running task: its worker is killed at the next tick, no result event, and a later tick starts the next task", async () => {
    const { h, runner } = await startTaskHarness();
    let hang = true;
    h.server.setFallback(respond((request) => (hang && workerStep(request) === 2 ? { kind: "hang" } : workerResponder(FIX_STEPS)(request))));
    h.notice({ summary: "first task" });
    await h.ticks(1, 2000);
    await runner.tick(h.clock.now());
    await waitFor(() => h.server.requests.filter(isWorkerRequest).length === 2, 15_000, "the worker's second step");
    const cancelled = await runVigilAsync(["task", "cancel", "1"], cleanEnv(h.home));
    expect(cancelled.stdout).toContain("cancelled task #1");
    hang = false;
    h.notice({ summary: "second task" });
    await h.ticks(1, 2000);
    await runner.tick(h.clock.now());
    await runner.idle();
    await runner.tick(h.clock.now());
    await runner.idle();
    expect(h.runtime.tasks.get(1)).toMatchObject({ state: "cancelled" });
    expect(h.runtime.tasks.get(2)).toMatchObject({ state: "done" });
    expect(h.journal("task").filter((row) => row.data.taskId === 1).map((row) => row.data.to)).toEqual(["queued", "running", "cancelled"]);
    const events = h.ctx.db.prepare("SELECT payload FROM events WHERE source = 'task'").pluck().all() as string[];
    expect(events.map((payload) => JSON.parse(payload).taskId)).toEqual([2]);
    expect((await runVigilAsync(["task", "cancel", "1"], cleanEnv(h.home))).code).toBe(1);
  });
});
