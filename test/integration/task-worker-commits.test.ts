import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../support/daemon-harness.js";
import { toolUse } from "../support/messages-api-server.js";
import { cleanEnv, runVigil } from "../support/run-vigil.js";
import { checkSystemTools } from "../support/system-tools.js";
import { git, workerResponder } from "../support/task-repo.js";
import { respond, runOneTask, startTaskHarness, workerResults } from "../support/task-harness.js";

const gitTool = checkSystemTools({ git: "git" });

/** A sandboxed command cannot write the repository's .git (outside the worktree), so a worker commits only when its commands run bare. */
const UNSANDBOXED = "sandbox: { enabled: false }";
const AS_WORKER = "git -c user.name=Wanda -c user.email=wanda@example.com";
const FIX = toolUse("edit_file", { path: "sum.js", old: "a - b", new: "a + b" });
const commitAsWorker = (subject: string) => toolUse("run_command", { command: `git add -A && ${AS_WORKER} commit --quiet -m '${subject}'` });

/** The task's commits as `author|subject`, oldest first. */
function commitsOf(repo: string, range: string): string[] {
  return git(repo, "log", "--reverse", "--format=%an|%s", range).trim().split("\n");
}

/** The worktree removed, the branch deleted and every commit of the task pruned (the user's main put back at the base). */
function forgetTaskCommits(h: Harness, repo: string, base: string, head: string): void {
  git(repo, "reset", "--quiet", "--hard", base);
  expect(runVigil(["task", "clean"], cleanEnv(h.home)).code).toBe(0);
  git(repo, "branch", "-D", "vigil/task-1");
  git(repo, "reflog", "expire", "--expire=now", "--all");
  git(repo, "gc", "--quiet", "--prune=now");
  expect(() => git(repo, "rev-parse", "--quiet", "--verify", `${head}^{commit}`)).toThrow();
}

describe.skipIf(gitTool.skip)(gitTool.title("tasks: the commits a worker makes itself"), () => {
  beforeAll(() => gitTool.assertPresent());

  it("a worker that commits its fix and leaves the tree clean: the task's head, journal row, series, `vigil task show` and both ways of `vigil task apply` have that commit", async () => {
    const { h, repo, runner } = await startTaskHarness("", {}, undefined, UNSANDBOXED);
    const steps = [FIX, commitAsWorker("Fix sum: add, do not subtract"), toolUse("run_command", { command: "git status --porcelain && node test.js" }), toolUse("finish_task", { summary: "Fixed sum and committed it" })];
    h.server.setFallback(respond(workerResponder(steps)));
    await runOneTask(h, runner);

    expect(workerResults(h).map((result) => result.is_error)).toEqual([false, false, false]);
    const task = h.runtime.tasks.get(1)!;
    const tip = git(repo, "rev-parse", "vigil/task-1").trim();
    // Nothing was left to commit: the worker's commit is the task's only one.
    expect(commitsOf(repo, `${task.baseCommit}..vigil/task-1`)).toEqual(["Wanda|Fix sum: add, do not subtract"]);
    expect(task).toMatchObject({ state: "done", headCommit: tip, summary: "Fixed sum and committed it" });
    expect(task.diffstat).toContain("sum.js | 2 +-");
    const ended = h.journal("task").find((row) => row.data.to === "done")!;
    expect(ended.data).toMatchObject({ headCommit: tip, series: { stored: true, commits: 1 } });
    const payload = JSON.parse(h.ctx.db.prepare("SELECT payload FROM events WHERE source = 'task'").pluck().get() as string);
    expect(payload).toMatchObject({ taskId: 1, state: "done", headCommit: tip });
    expect(h.ctx.db.prepare("SELECT position, commit_sha, subject FROM task_patches WHERE task_id = 1").all()).toEqual([{ position: 1, commit_sha: tip, subject: "Fix sum: add, do not subtract" }]);

    const env = cleanEnv(h.home);
    const shown = runVigil(["task", "show", "1"], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`commits (1, kept in the store):\n  ${tip.slice(0, 12)} Fix sum: add, do not subtract\n\ndiff:\n`);
    expect(shown.stdout).toContain("+  return a + b;");

    const picked = runVigil(["task", "apply", "1"], env);
    expect(picked.stderr).toBe("");
    expect(picked.stdout).toBe(`applied task #1: 1 commit(s) cherry-picked onto main in ${repo}\n`);
    expect(commitsOf(repo, `${task.baseCommit}..main`)).toEqual(["Wanda|Fix sum: add, do not subtract"]);
    expect(readFileSync(path.join(repo, "sum.js"), "utf8")).toContain("return a + b;");

    forgetTaskCommits(h, repo, task.baseCommit, tip);
    const fromStore = runVigil(["task", "apply", "1"], env);
    expect(fromStore.stderr).toBe("");
    expect(fromStore.stdout).toBe(`applied task #1: 1 commit(s) applied from the store with git am (the checkout no longer holds the commits of vigil/task-1) onto main in ${repo}\n`);
    expect(commitsOf(repo, `${task.baseCommit}..main`)).toEqual(["Wanda|Fix sum: add, do not subtract"]);
    expect(readFileSync(path.join(repo, "sum.js"), "utf8")).toContain("return a + b;");
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  it("a worker that commits, then leaves more changes: its commit and then Vigil's (as Vigil) make the series, in that order, applied either way", async () => {
    const { h, repo, runner } = await startTaskHarness("", {}, undefined, UNSANDBOXED);
    const steps = [FIX, commitAsWorker("Fix sum"), toolUse("write_file", { path: "NOTES.md", content: "sum adds.\n" }), toolUse("finish_task", { summary: "Fix sum and note it" })];
    h.server.setFallback(respond(workerResponder(steps)));
    await runOneTask(h, runner);

    const task = h.runtime.tasks.get(1)!;
    const tip = git(repo, "rev-parse", "vigil/task-1").trim();
    expect(commitsOf(repo, `${task.baseCommit}..vigil/task-1`)).toEqual(["Wanda|Fix sum", "Vigil|Fix sum and note it"]);
    expect(git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>", tip).trim()).toBe("Vigil <vigil@localhost>|Vigil <vigil@localhost>");
    expect(task).toMatchObject({ state: "done", headCommit: tip });
    expect(task.diffstat).toMatch(/NOTES\.md \| 1 \+\n sum\.js {3}\| 2 \+-/);
    expect(h.journal("task").find((row) => row.data.to === "done")!.data).toMatchObject({ headCommit: tip, series: { stored: true, commits: 2 } });
    const subjects = h.ctx.db.prepare("SELECT position, subject FROM task_patches WHERE task_id = 1 ORDER BY position").all();
    expect(subjects).toEqual([{ position: 1, subject: "Fix sum" }, { position: 2, subject: "Fix sum and note it" }]);

    const env = cleanEnv(h.home);
    expect(runVigil(["task", "show", "1"], env).stdout).toMatch(/commits \(2, kept in the store\):\n {2}[0-9a-f]{12} Fix sum\n {2}[0-9a-f]{12} Fix sum and note it\n/);
    const taskTree = git(repo, "rev-parse", "vigil/task-1^{tree}").trim();
    expect(runVigil(["task", "apply", "1"], env).stdout).toBe(`applied task #1: 2 commit(s) cherry-picked onto main in ${repo}\n`);
    expect(commitsOf(repo, `${task.baseCommit}..main`)).toEqual(["Wanda|Fix sum", "Vigil|Fix sum and note it"]);
    expect(git(repo, "rev-parse", "HEAD^{tree}").trim()).toBe(taskTree);

    forgetTaskCommits(h, repo, task.baseCommit, tip);
    expect(runVigil(["task", "apply", "1"], env).stdout).toContain("2 commit(s) applied from the store with git am");
    expect(commitsOf(repo, `${task.baseCommit}..main`)).toEqual(["Wanda|Fix sum", "Vigil|Fix sum and note it"]);
    expect(git(repo, "rev-parse", "HEAD^{tree}").trim()).toBe(taskTree);
  });

  const merge = `git checkout --quiet -b side && echo side > side.txt && git add -A && ${AS_WORKER} commit --quiet -m side && git checkout --quiet vigil/task-1 && ${AS_WORKER} merge --quiet --no-ff -m 'merge side' side`;
  const orphan = `git checkout --quiet --orphan elsewhere && git rm -r --quiet --cached . && echo side > side.txt && git add side.txt && ${AS_WORKER} commit --quiet -m 'a history of its own' && git clean -fdq`;
  it.each([
    { what: "a merge", command: merge, reason: (tip: string) => `commit ${tip.slice(0, 12)} is a merge, which a patch series cannot carry` },
    { what: "a history that left the base", command: orphan, reason: (_tip: string, base: string) => `its branch no longer descends from the base commit ${base.slice(0, 12)}` },
  ])("a worker's own commits that are $what: recorded as the task's head but, as today, kept out of the store with the reason", async ({ command, reason }) => {
    const { h, repo, runner } = await startTaskHarness("", {}, undefined, UNSANDBOXED);
    h.server.setFallback(respond(workerResponder([toolUse("run_command", { command }), toolUse("finish_task", { summary: "made history" })])));
    await runOneTask(h, runner);

    expect(workerResults(h)[0]).toMatchObject({ is_error: false });
    const task = h.runtime.tasks.get(1)!;
    const tip = git(task.worktree!, "rev-parse", "HEAD").trim();
    expect(task).toMatchObject({ state: "done", headCommit: tip });
    const why = reason(tip, task.baseCommit);
    expect(h.journal("task").find((row) => row.data.to === "done")!.data).toMatchObject({ headCommit: tip, series: { stored: false, reason: why } });
    expect(h.ctx.db.prepare("SELECT count(*) FROM task_patches").pluck().get()).toBe(0);
    expect(runVigil(["task", "show", "1"], cleanEnv(h.home)).stdout).toContain(`commits: not kept in the store (${why}): the branch vigil/task-1 is their only copy\n\ndiff:\n`);
    expect(git(repo, "status", "--porcelain")).toBe("");
  });
});
