import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openReadonlyDatabase, type VigilDatabase } from "../../daemon/store/open-database.js";
import { applyTask, TaskApplyError } from "../../daemon/tasks/apply-task.js";
import { MAX_SERIES_BYTES, readTaskSeries } from "../../daemon/tasks/read-task-series.js";
import { createTaskPatchStore } from "../../daemon/tasks/task-patch-store.js";
import { createTaskStore, type TaskStore } from "../../daemon/tasks/task-store.js";
import { cleanEnv, runVigil } from "../support/run-vigil.js";
import { checkSystemTools } from "../support/system-tools.js";
import { FIX_STEPS, git, workerResponder } from "../support/task-repo.js";
import { respond, runOneTask, startTaskHarness } from "../support/task-harness.js";
import { makeTempHome } from "../support/temp-home.js";
import { openTestJournal } from "../support/open-test-journal.js";

const gitTool = checkSystemTools({ git: "git" });

/** A commit by Vigil, as a task's (the committer is the test user; `git am` makes the applying user the committer anyway). */
function vigilCommit(cwd: string, ...args: string[]): string {
  return git(cwd, "commit", "--quiet", "--author=Vigil <vigil@localhost>", ...args);
}

/** A home with a database of its own (every migration), and the task store over it. */
function openTaskDatabase(): { db: VigilDatabase; tasks: TaskStore; home: string } {
  const home = makeTempHome();
  const { db, journal } = openTestJournal(home);
  return { db, tasks: createTaskStore({ db, journal }), home };
}

/** A task row that ran from `repoDir` at `base` and ended done at `head`, its series read from `dir` as run-task reads it. */
function finishTask(tasks: TaskStore, repoDir: string, dir: string, base: string, head: string, env: NodeJS.ProcessEnv): number {
  const now = new Date();
  const task = tasks.create({ repo: "app", repoDir, ref: null, baseCommit: base, goal: "change things", maxSteps: 40, maxTokens: 400_000, timeoutMs: 60_000, model: "claude-sonnet-5-5", turnId: null }, now);
  tasks.claimNext(() => path.join(dir, "unused-worktree"), now);
  const series = readTaskSeries(dir, base, head, env);
  tasks.finish(task.id, "done", { summary: "changed things", diffstat: "", testTail: "", headCommit: head, series }, now);
  return task.id;
}

/** The user's own git config, as awkward as a real one can be for patches: no prefixes, strict whitespace, cover letters, threads, sign-offs, colour, Message-Ids. */
function writeAwkwardGitConfig(home: string): void {
  writeFileSync(
    path.join(home, ".gitconfig"),
    "[user]\n\tname = Tess\n\temail = tess@example.com\n[diff]\n\tnoprefix = true\n[apply]\n\twhitespace = error\n[format]\n\tcoverLetter = true\n\tthread = shallow\n\tsignOff = true\n\tnumbered = true\n[am]\n\tmessageid = true\n\tthreeWay = false\n[color]\n\tui = always\n",
  );
}

describe.skipIf(gitTool.skip)(gitTool.title("tasks: their commits kept in the store as a patch series"), () => {
  beforeAll(() => gitTool.assertPresent());

  it("a task's series outlives its branch and worktree: `vigil task show` shows it, `vigil task apply` gives the task's tree, and a store copy carries it", async () => {
    const { h, repo, runner } = await startTaskHarness();
    h.server.setFallback(respond(workerResponder(FIX_STEPS)));
    await runOneTask(h, runner);
    const task = h.runtime.tasks.get(1)!;
    expect(task).toMatchObject({ state: "done", branch: "vigil/task-1" });
    const head = task.headCommit!;
    const taskTree = git(repo, "rev-parse", "vigil/task-1^{tree}").trim();
    const rows = h.ctx.db.prepare("SELECT task_id, position, commit_sha, subject, patch_encoding, patch FROM task_patches").all() as Array<Record<string, unknown>>;
    expect(rows).toEqual([{ task_id: 1, position: 1, commit_sha: head, subject: "Fix sum: it subtracted instead of adding", patch_encoding: "utf8", patch: expect.stringContaining("+  return a + b;") }]);
    expect(rows[0]!.patch).toBe(git(repo, "format-patch", "--stdout", "-k", "--no-signature", "--full-index", "-1", head));
    const ended = h.journal("task").find((row) => row.data.to === "done")!;
    expect(ended.data.series).toEqual({ stored: true, commits: 1, bytes: Buffer.byteLength(rows[0]!.patch as string) });

    // The worktree cleaned up, the branch deleted and its commits pruned: the checkout has nothing of the task left.
    const env = cleanEnv(h.home);
    expect(runVigil(["task", "clean"], env).code).toBe(0);
    git(repo, "branch", "-D", "vigil/task-1");
    git(repo, "reflog", "expire", "--expire=now", "--all");
    git(repo, "gc", "--quiet", "--prune=now");
    expect(() => git(repo, "rev-parse", "--quiet", "--verify", `${head}^{commit}`)).toThrow();

    const shown = runVigil(["task", "show", "1"], env);
    expect(shown.stderr).toBe("");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`commits (1, kept in the store):\n  ${head.slice(0, 12)} Fix sum: it subtracted instead of adding\n`);
    expect(shown.stdout).toContain(`diff (from the store: vigil/task-1's commits are no longer in ${repo}):\nsum.js | 2 +-\n 1 file changed`);
    expect(shown.stdout).toContain("+  return a + b;");

    // A copy of the store into another SQLite file carries the series byte for byte.
    const other = makeTempHome();
    const copied = runVigil(["store", "copy", "--to", path.join(other, "vigil.db")], env);
    expect(copied.stderr).toBe("");
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/\n {2}task_patches +1 row\(s\)\n/);
    const copy = openReadonlyDatabase(path.join(other, "vigil.db"));
    try {
      expect(copy.prepare("SELECT task_id, position, commit_sha, subject, patch_encoding, patch FROM task_patches").all()).toEqual(rows);
    } finally {
      copy.close();
    }

    const applied = runVigil(["task", "apply", "1"], env);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toBe(`applied task #1: 1 commit(s) applied from the store with git am (the checkout no longer holds the commits of vigil/task-1) onto main in ${repo}\n`);
    expect(git(repo, "rev-parse", "HEAD^{tree}").trim()).toBe(taskTree);
    expect(git(repo, "log", "-1", "--format=%an|%cn|%s").trim()).toBe("Vigil|Tess|Fix sum: it subtracted instead of adding");
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(h.journal("task").at(-1)!.data).toMatchObject({ taskId: 1, event: "applied", from: "store", commits: 1, branch: "main" });

    // The copied store, in a home of its own, applies the same series to the same tree.
    git(repo, "reset", "--quiet", "--hard", task.baseCommit);
    const fromCopy = runVigil(["task", "apply", "1"], cleanEnv(other));
    expect(fromCopy.stderr).toBe("");
    expect(fromCopy.code).toBe(0);
    expect(git(repo, "rev-parse", "HEAD^{tree}").trim()).toBe(taskTree);
    expect(runVigil(["task", "show", "1"], cleanEnv(other)).stdout).toContain(`  ${head.slice(0, 12)} Fix sum: it subtracted instead of adding\n`);
  });

  it("a series carries what a plain diff would spoil, into a checkout that never had the commits, whatever the user's git config says", () => {
    const work = makeTempHome("vigil-series-");
    writeAwkwardGitConfig(work);
    const origin = path.join(work, "origin");
    mkdirSync(origin);
    git(origin, "init", "--quiet", "--initial-branch=main");
    writeFileSync(path.join(origin, "a.txt"), "one\ntwo\nthree\n");
    writeFileSync(path.join(origin, "old-name.txt"), "a file that moves\n".repeat(20));
    writeFileSync(path.join(origin, "gone.txt"), "deleted by the task\n");
    git(origin, "add", "-A");
    git(origin, "commit", "--quiet", "-m", "base");
    const base = git(origin, "rev-parse", "HEAD").trim();
    // The user's checkout: a clone taken before the task ran, so it never held the task's commits.
    const checkout = path.join(work, "checkout");
    git(work, "clone", "--quiet", origin, checkout);

    writeFileSync(path.join(origin, "crlf.txt"), "windows\r\nline endings\r\n");
    writeFileSync(path.join(origin, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    writeFileSync(path.join(origin, "blob.bin"), Buffer.from([0, 1, 2, 255, 0, 10, 13]));
    git(origin, "add", "-A");
    vigilCommit(origin, "-m", "[docs] Re: files in every encoding");
    vigilCommit(origin, "--allow-empty", "-m", "nothing at all");
    renameSync(path.join(origin, "old-name.txt"), path.join(origin, "new-name.txt"));
    rmSync(path.join(origin, "gone.txt"));
    writeFileSync(path.join(origin, "a.txt"), "one\ntwo  \nthree\nFrom 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n");
    writeFileSync(path.join(origin, "run.sh"), "#!/bin/sh\necho hi\n");
    chmodSync(path.join(origin, "run.sh"), 0o755);
    git(origin, "add", "-A");
    vigilCommit(origin, "-m", "move, delete, trailing whitespace, an mbox-looking line, an executable");
    const head = git(origin, "rev-parse", "HEAD").trim();

    const { db, tasks } = openTaskDatabase();
    const env = { PATH: process.env.PATH, HOME: work };
    const id = finishTask(tasks, checkout, origin, base, head, env);
    const store = createTaskPatchStore(db);
    const stored = store.list(id);
    expect(stored.map((patch) => [patch.position, patch.subject])).toEqual([
      [1, "[docs] Re: files in every encoding"],
      [2, "move, delete, trailing whitespace, an mbox-looking line, an executable"],
    ]);
    const encodings = db.prepare("SELECT patch_encoding FROM task_patches ORDER BY position").pluck().all();
    expect(encodings).toEqual(["base64", "utf8"]);
    expect(() => git(checkout, "rev-parse", "--quiet", "--verify", `${head}^{commit}`)).toThrow();

    expect(applyTask(tasks.get(id)!, env, { patches: stored })).toEqual({ commits: 2, branch: "main", from: "store" });
    expect(git(checkout, "rev-parse", "HEAD^{tree}").trim()).toBe(git(origin, "rev-parse", "HEAD^{tree}").trim());
    expect(git(checkout, "log", "--format=%s|%an|%cn", `${base}..HEAD`).trim().split("\n")).toEqual([
      "move, delete, trailing whitespace, an mbox-looking line, an executable|Vigil|Tess",
      "[docs] Re: files in every encoding|Vigil|Tess",
    ]);
    expect(git(checkout, "log", "-1", "--format=%B").trim()).toBe("move, delete, trailing whitespace, an mbox-looking line, an executable");
    expect(statSync(path.join(checkout, "run.sh")).mode & 0o111).not.toBe(0);
  });

  it("a patch that does not apply names the commit and how to recover; a dirty tree or an am in progress is refused first", () => {
    const work = makeTempHome("vigil-series-");
    writeAwkwardGitConfig(work);
    const checkout = path.join(work, "checkout");
    mkdirSync(checkout);
    git(checkout, "init", "--quiet", "--initial-branch=main");
    writeFileSync(path.join(checkout, "sum.js"), "return a - b;\n");
    git(checkout, "add", "-A");
    git(checkout, "commit", "--quiet", "-m", "base");
    const base = git(checkout, "rev-parse", "HEAD").trim();
    // The task's commit, made on a branch that is then deleted and pruned.
    git(checkout, "checkout", "--quiet", "-b", "vigil/task-1");
    writeFileSync(path.join(checkout, "sum.js"), "return a + b;\n");
    vigilCommit(checkout, "-am", "Fix sum");
    const head = git(checkout, "rev-parse", "HEAD").trim();
    const env = { PATH: process.env.PATH, HOME: work };
    const { db, tasks } = openTaskDatabase();
    const id = finishTask(tasks, checkout, checkout, base, head, env);
    git(checkout, "checkout", "--quiet", "main");
    git(checkout, "branch", "--quiet", "-D", "vigil/task-1");
    git(checkout, "reflog", "expire", "--expire=now", "--all");
    git(checkout, "gc", "--quiet", "--prune=now");
    // Meanwhile the user changed the same line.
    writeFileSync(path.join(checkout, "sum.js"), "return a * b;\n");
    const series = { patches: createTaskPatchStore(db).list(id) };
    expect(() => applyTask(tasks.get(id)!, env, series)).toThrow(/has uncommitted changes:\nM sum.js\ncommit or stash them/);
    git(checkout, "commit", "--quiet", "-am", "multiply");
    const before = git(checkout, "rev-parse", "HEAD").trim();

    let refusal: unknown;
    try {
      applyTask(tasks.get(id)!, env, series);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TaskApplyError);
    expect((refusal as Error).message).toMatch(new RegExp(`^commit 1 of 1 \\(${head.slice(0, 12)} "Fix sum"\\) of task #${id} does not apply to main in ${checkout} \\(.+\\)\\. git am stopped there: resolve the conflicts, \`git add\` the files and run \`git am --continue\`; or run \`git am --abort\` to put the checkout back as it was$`));
    expect(() => applyTask(tasks.get(id)!, env, series)).toThrow(/is in the middle of an am or a rebase \(git am --continue or --abort/);
    git(checkout, "am", "--abort");
    expect(git(checkout, "rev-parse", "HEAD").trim()).toBe(before);
    expect(readFileSync(path.join(checkout, "sum.js"), "utf8")).toBe("return a * b;\n");
    expect(git(checkout, "status", "--porcelain")).toBe("");
  });

  it("a series over the cap is not stored, and says so: in the journal, in `vigil task show`, and when apply has nothing else", () => {
    const work = makeTempHome("vigil-series-");
    const checkout = path.join(work, "app");
    mkdirSync(checkout);
    git(checkout, "init", "--quiet", "--initial-branch=main");
    git(checkout, "commit", "--quiet", "--allow-empty", "-m", "base");
    const base = git(checkout, "rev-parse", "HEAD").trim();
    git(checkout, "checkout", "--quiet", "-b", "vigil/task-1");
    // Random bytes do not compress: their binary patch is larger than they are.
    writeFileSync(path.join(checkout, "dump.bin"), randomBytes(MAX_SERIES_BYTES * 0.9));
    git(checkout, "add", "-A");
    vigilCommit(checkout, "-m", "a task that committed a dump");
    const head = git(checkout, "rev-parse", "HEAD").trim();

    const { db, tasks, home } = openTaskDatabase();
    const id = finishTask(tasks, checkout, checkout, base, head, { PATH: process.env.PATH, HOME: work });
    expect(db.prepare("SELECT count(*) FROM task_patches").pluck().get()).toBe(0);
    const reason = "its patches come to more than 8 MiB (the most a task's series may take in the store)";
    expect(createTaskPatchStore(db).missingReason(tasks.get(id)!)).toBe(reason);
    db.close();

    const shown = runVigil(["task", "show", String(id)], cleanEnv(home));
    expect(shown.stdout).toContain(`commits: not kept in the store (${reason}): the branch vigil/task-1 is their only copy\n\ndiff:\n dump.bin | Bin 0 ->`);

    git(checkout, "checkout", "--quiet", "main");
    git(checkout, "branch", "--quiet", "-D", "vigil/task-1");
    git(checkout, "reflog", "expire", "--expire=now", "--all");
    git(checkout, "gc", "--quiet", "--prune=now");
    expect(runVigil(["task", "show", String(id)], cleanEnv(home)).stdout).toContain(`diff: not available: the commits of vigil/task-1 are no longer in ${checkout}, and the store holds none of them`);
    const refused = runVigil(["task", "apply", String(id)], cleanEnv(home));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`vigil: the commits of task #${id} are no longer in ${checkout} (its branch vigil/task-1 was deleted and pruned, or this checkout never had them), and the store holds none of them (${reason}): there is nothing to apply\n`);
  });
});
