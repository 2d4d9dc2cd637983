import { readFileSync } from "node:fs";
import type { Logger } from "../logger/create-logger.js";
import { runTask, type RunTaskDeps } from "./run-task.js";
import type { TaskRecord } from "./task-store.js";
import { worktreeDir } from "./task-worktree.js";

export interface TaskRunner {
  /** A heartbeat job: cancels what the user cancelled, starts queued tasks up to maxConcurrent. */
  tick(now: Date): Promise<void>;
  /** Kills running workers (their tasks are retried at the next start) and waits for them. */
  stop(): Promise<void>;
  /** Resolves when no task runs. */
  idle(): Promise<void>;
}

export interface TaskRunnerOptions {
  home: string;
  maxConcurrent: number;
  logger: Logger;
}

/** The tasks a process runs, at most `maxConcurrent` at once, oldest first. */
export function createTaskRunner(deps: RunTaskDeps, options: TaskRunnerOptions): TaskRunner {
  const running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  const stopping = new AbortController();
  const start = (task: TaskRecord) => {
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, stopping.signal]);
    const done = runTask(deps, task, signal)
      .catch((error: Error) => options.logger.error({ err: error, taskId: task.id }, "task crashed"))
      .finally(() => running.delete(task.id));
    running.set(task.id, { controller, done });
  };
  return {
    async tick(now) {
      if (stopping.signal.aborted) return;
      for (const [id, run] of running) if (deps.store.get(id)?.state === "cancelled") run.controller.abort("cancelled by the user");
      while (running.size < options.maxConcurrent) {
        const task = deps.store.claimNext((id) => worktreeDir(options.home, id), now);
        if (!task) break;
        start(task);
      }
    },
    async stop() {
      stopping.abort("stopped with the daemon");
      await Promise.all([...running.values()].map((run) => run.done));
    },
    async idle() {
      while (running.size) await Promise.all([...running.values()].map((run) => run.done));
    },
  };
}

/**
 * At start: tasks the last process left running are interrupted and, within
 * `tasks.retryInterrupted`, queued again. A worker of that process still alive is killed first,
 * so two workers never hold one task.
 */
export function recoverTasks(deps: Pick<RunTaskDeps, "store" | "now">, retryInterrupted: number): void {
  for (const task of deps.store.list({ states: ["running"] })) if (task.workerPid) _killStrayWorker(task.workerPid);
  deps.store.recoverInterrupted(retryInterrupted, deps.now());
}

function _killStrayWorker(pid: number): void {
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("task-worker")) return;
    process.kill(pid, "SIGKILL");
  } catch {
    // gone already (or not Linux: the worker exits by itself when its parent's channel closes)
  }
}
