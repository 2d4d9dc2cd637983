import type { Command } from "commander";
import { totalTokens } from "../../brain/usage-ledger.js";
import type { VigilContext } from "../../context/open-context.js";
import { applyTask, TaskApplyError } from "../../tasks/apply-task.js";
import { createTaskPatchStore } from "../../tasks/task-patch-store.js";
import { createTaskStore, type TaskRecord } from "../../tasks/task-store.js";
import { removeTaskWorktree } from "../../tasks/task-worktree.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { describeTaskCommits } from "./describe-task-commits.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { withContext } from "../with-context.js";

export function registerTaskCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const run = (verb: (ctx: VigilContext) => number) => async () => setExit(await withContext(io, verb));
  program
    .command("tasks")
    .description("coding tasks: id, state, repo, goal, age, tokens, cost")
    .option("--json", 'print {"tasks":[...]}')
    .action(async (options: { json?: boolean }) => setExit(await withContext(io, (ctx) => _list(io, ctx, options))));
  const task = program.command("task").description("one coding task: show, apply, cancel; clean finished worktrees");
  task.command("show").description("a task's goal, steps, summary, commits and diff (from the store when its branch is gone)").argument("<id>").action(async (id: string) => run((ctx) => _show(io, ctx, _id(id)))());
  task.command("apply").description("apply a done task's commits onto your current branch: cherry-picked, or the stored series with git am when its branch is gone (refuses on a dirty tree)").argument("<id>").action(async (id: string) => run((ctx) => _apply(io, ctx, _id(id)))());
  task.command("cancel").description("cancel a queued or running task").argument("<id>").action(async (id: string) => run((ctx) => _cancel(io, ctx, _id(id)))());
  task.command("clean").description("remove the worktrees of finished tasks (their branches stay)").action(run((ctx) => _clean(io, ctx)));
}

function _id(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`"${text}" is not a task number; see vigil tasks`);
  return Number(text);
}

function _get(ctx: VigilContext, id: number): TaskRecord {
  const task = createTaskStore(ctx).get(id);
  if (!task) throw new UsageError(`there is no task #${id}; see vigil tasks`);
  return task;
}

function _list(io: CliIo, ctx: VigilContext, options: { json?: boolean }): number {
  const tasks = createTaskStore(ctx).list();
  const rows = tasks.map((task) => ({
    id: task.id,
    state: task.state,
    repo: task.repo,
    goal: task.goal,
    branch: task.branch,
    baseCommit: task.baseCommit,
    attempt: task.attempt,
    steps: task.steps,
    tokens: totalTokens(task.usage),
    costUsd: _cost(ctx, task),
    createdAt: task.createdAt,
    endedAt: task.endedAt,
    summary: task.summary,
  }));
  if (options.json) {
    writeLine(io.stdout, JSON.stringify({ tasks: rows }));
    return EXIT.ok;
  }
  if (rows.length === 0) writeLine(io.stderr, "no tasks yet");
  for (const row of rows) {
    const cost = row.costUsd === null ? "?" : `$${row.costUsd.toFixed(4)}`;
    writeLine(io.stdout, `#${row.id}  ${row.state.padEnd(11)} ${row.repo}  ${_age(ctx.now(), row.createdAt)}  ${row.tokens} tokens  ${cost}  ${row.goal.split("\n")[0]!.slice(0, 80)}`);
  }
  return EXIT.ok;
}

function _show(io: CliIo, ctx: VigilContext, id: number): number {
  const task = _get(ctx, id);
  const lines = [
    `task #${task.id}: ${task.state} (attempt ${task.attempt})`,
    `repo: ${task.repo} (${task.repoDir}), from ${task.baseCommit.slice(0, 12)}${task.ref ? ` (${task.ref})` : ""}`,
    `branch: ${task.branch}${task.worktree ? `; worktree ${task.worktree}` : ""}`,
    `steps: ${task.steps} of ${task.maxSteps}; tokens: ${totalTokens(task.usage)} of ${task.maxTokens}`,
    "",
    "goal:",
    task.goal,
    "",
    "summary:",
    task.summary ?? "(not finished)",
  ];
  if (task.testTail) lines.push("", "last command output:", task.testTail);
  lines.push(...describeTaskCommits(task, createTaskPatchStore(ctx.db), ctx.env));
  writeLine(io.stdout, lines.join("\n"));
  return EXIT.ok;
}

function _apply(io: CliIo, ctx: VigilContext, id: number): number {
  const task = _get(ctx, id);
  try {
    const store = createTaskPatchStore(ctx.db);
    const patches = store.list(id);
    const missingReason = patches.length === 0 ? store.missingReason(task) : undefined;
    const { commits, branch, from } = applyTask(task, ctx.env, { patches, ...(missingReason ? { missingReason } : {}) });
    const how = from === "store" ? `applied from the store with git am (the checkout no longer holds the commits of ${task.branch})` : "cherry-picked";
    ctx.journal.append({ kind: "task", summary: `task #${id} applied by the user: ${commits} commit(s) onto ${branch}${from === "store" ? " from the store" : ""}`, data: { taskId: id, event: "applied", branch, commits, from } });
    writeLine(io.stdout, `applied task #${id}: ${commits} commit(s) ${how} onto ${branch} in ${task.repoDir}`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof TaskApplyError)) throw error;
    writeLine(io.stderr, `vigil: ${error.message}`);
    return EXIT.failed;
  }
}

function _cancel(io: CliIo, ctx: VigilContext, id: number): number {
  const task = _get(ctx, id);
  if (!createTaskStore(ctx).cancel(id, ctx.now())) {
    writeLine(io.stderr, `task #${id} is ${task.state}: nothing to cancel`);
    return EXIT.failed;
  }
  writeLine(io.stdout, `cancelled task #${id}${task.state === "running" ? " (a running daemon stops its worker at the next tick)" : ""}`);
  return EXIT.ok;
}

function _clean(io: CliIo, ctx: VigilContext): number {
  const store = createTaskStore(ctx);
  const finished = store.finishedWithWorktree();
  for (const task of finished) {
    removeTaskWorktree(task.repoDir, task.worktree!, ctx.env);
    store.clearWorktree(task.id);
  }
  writeLine(io.stdout, `removed ${finished.length} worktree(s) of finished tasks; their branches stay (git branch -D vigil/task-N to delete one)`);
  return EXIT.ok;
}

function _cost(ctx: VigilContext, task: TaskRecord): number | null {
  const price = ctx.loaded.config.review.prices[task.model];
  if (!price) return null;
  const { input, output, cacheRead, cacheWrite } = task.usage;
  return (input * price.input + output * price.output + cacheWrite * price.cacheWrite + cacheRead * price.cacheRead) / 1e6;
}

function _age(now: Date, since: string): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 60_000));
  return minutes < 60 ? `${minutes}m` : minutes < 48 * 60 ? `${Math.round(minutes / 60)}h` : `${Math.round(minutes / 1440)}d`;
}
