import type { CommandSandbox } from "../tools/sandbox/sandbox-command.js";
import type { Journal } from "../../logs/journal.js";
import { localDay } from "../../logs/local-day.js";
import type { UsageLedger } from "../brain/usage-ledger.js";
import type { EventQueue } from "../events/event-queue.js";
import { noticeEvent } from "../events/notice-event.js";
import type { VigilDatabase } from "../store/open-database.js";
import { forkTaskWorker, type TaskWorkerOutcome } from "./fork-task-worker.js";
import { readTaskSeries, type TaskSeries } from "./read-task-series.js";
import type { TaskRecord, TaskStore } from "./task-store.js";
import { commitTaskWork, createTaskWorktree, diffstatSince } from "./task-worktree.js";

export interface RunTaskDeps {
  db: VigilDatabase;
  journal: Journal;
  events: EventQueue;
  store: TaskStore;
  usage: UsageLedger;
  env: NodeJS.ProcessEnv;
  /** For the usage ledger's local day: a zone name, or SYSTEM_TIME_ZONE (`ctx.loaded.zone`). */
  timeZone: string;
  now: () => Date;
  /** Tokens of one model call in the worker. */
  maxOutputTokens: number;
  /** The commands' sandbox, as run_command's (issue 19): absent runs them bare. */
  sandbox?: CommandSandbox;
  workerPath?: string;
}

const COMMAND_TIMEOUT_MS = 5 * 60_000;

/**
 * One attempt of a claimed task: a fresh worktree, the forked worker, a commit of whatever it
 * left uncommitted (done or not) on the task branch, and the result (every commit since the base,
 * the worker's own and Vigil's) as a `task.finished` or `task.failed` event. Never throws: a git
 * failure fails the task with its message.
 */
export async function runTask(deps: RunTaskDeps, task: TaskRecord, signal: AbortSignal): Promise<void> {
  let outcome: TaskWorkerOutcome;
  try {
    outcome = await forkTaskWorker(
      {
        taskId: task.id,
        worktree: task.worktree!,
        branch: task.branch,
        goal: task.goal,
        model: task.model,
        maxOutputTokens: deps.maxOutputTokens,
        maxSteps: task.maxSteps,
        maxTokens: task.maxTokens,
        commandTimeoutMs: Math.min(COMMAND_TIMEOUT_MS, task.timeoutMs),
        ...(deps.sandbox ? { sandbox: deps.sandbox } : {}),
      },
      {
        env: deps.env,
        timeoutMs: task.timeoutMs,
        signal,
        onStart: (pid) => deps.store.setWorker(task.id, pid),
        // The checkout overlaps the worker's start-up.
        prepare: () => createTaskWorktree(task.repoDir, task.worktree!, task.branch, task.baseCommit, deps.env),
        onStep: (step, delta, total) => {
          deps.usage.record(localDay(deps.now(), deps.timeZone), task.model, delta);
          deps.store.recordStep(task.id, step, total);
        },
        ...(deps.workerPath ? { workerPath: deps.workerPath } : {}),
      },
    );
  } catch (error) {
    outcome = { ok: false, reason: (error as Error).message, steps: 0, testTail: "" };
  }
  // A stop (the daemon going down) is no verdict: the row stays running and recovery retries it.
  if (signal.aborted) return;
  _settle(deps, task, outcome);
}

function _settle(deps: RunTaskDeps, task: TaskRecord, outcome: TaskWorkerOutcome): void {
  const summary = outcome.ok ? outcome.summary : `failed: ${outcome.reason}`;
  let headCommit: string | null = null;
  let diffstat = "";
  let series: TaskSeries | undefined;
  try {
    headCommit = commitTaskWork(task.worktree!, task.baseCommit, _commitMessage(task, outcome), deps.env);
    diffstat = diffstatSince(task.worktree!, task.baseCommit, deps.env);
    // Kept with the task's row, so show and apply outlive the branch (issue 22).
    if (headCommit) series = readTaskSeries(task.worktree!, task.baseCommit, headCommit, deps.env);
  } catch (error) {
    outcome = { ok: false, reason: `${summary}; committing failed: ${(error as Error).message}`, steps: outcome.steps, testTail: outcome.testTail };
  }
  const state = outcome.ok ? "done" : "failed";
  const result = { summary: outcome.ok ? outcome.summary : outcome.reason, diffstat, testTail: outcome.testTail, headCommit, ...(series ? { series } : {}) };
  deps.db
    .transaction(() => {
      if (!deps.store.finish(task.id, state, result, deps.now())) return;
      noticeEvent(deps, {
        source: "task",
        type: outcome.ok ? "finished" : "failed",
        dedupeKey: `task:${task.id}:${task.attempt}`,
        // The worker read the repository (and a PR's code, which anyone may have written).
        trust: task.ref?.startsWith("pr:") ? "untrusted" : "trusted",
        summary: `task #${task.id} ${state} (${task.repo}, ${task.branch}): ${result.summary.slice(0, 300)}`,
        payload: { taskId: task.id, state, repo: task.repo, branch: task.branch, headCommit, summary: result.summary, diffstat, testTail: outcome.testTail.slice(-2000) },
      });
    })
    .immediate();
}

function _commitMessage(task: TaskRecord, outcome: TaskWorkerOutcome): string {
  const text = outcome.ok ? outcome.summary : `Unfinished (task failed): ${outcome.reason}`;
  const [first = "", ...rest] = text.trim().split("\n");
  const subject = first.length > 72 ? `${first.slice(0, 69)}...` : first;
  return [subject, "", ...(first.length > 72 ? [first] : []), ...rest, "", `Vigil task #${task.id}: ${task.goal.slice(0, 500)}`].join("\n").replace(/\n{3,}/g, "\n\n").trim();
}
