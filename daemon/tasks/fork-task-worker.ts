import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { totalTokens, type TokenUsage } from "../brain/usage-ledger.js";
import type { TaskWorkerMessage, WorkerTask } from "./worker-protocol.js";

export type TaskWorkerOutcome = { ok: true; summary: string; steps: number; testTail: string } | { ok: false; reason: string; steps: number; testTail: string };

export interface ForkTaskOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  onStart: (pid: number) => void;
  /** Runs while the child boots (the worktree checkout), before it gets its task; a throw fails the attempt. */
  prepare?: () => void;
  /** Usage of the latest model call alone, and the totals so far. */
  onStep: (step: number, delta: TokenUsage, total: TokenUsage) => void;
  workerPath?: string;
}

/** Only what the worker needs to reach the model; GitHub tokens and the rest stay with the daemon. */
const WORKER_ENV = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TERM", "TMPDIR", "TZ", "VIGIL_HOME", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL"];

/**
 * Runs one attempt of a task in a forked worker and settles with its outcome, never throwing. The
 * budgets hold here whatever the worker does: over the steps or tokens, past the timeout, or on a
 * stop it is killed, and the outcome is a failure with the steps and test output it had.
 */
export function forkTaskWorker(task: WorkerTask, options: ForkTaskOptions): Promise<TaskWorkerOutcome> {
  return new Promise((resolve) => {
    let outcome: TaskWorkerOutcome | undefined;
    let steps = 0;
    let testTail = "";
    let last: TokenUsage | undefined;
    const env = Object.fromEntries(WORKER_ENV.filter((name) => options.env[name] !== undefined).map((name) => [name, options.env[name]]));
    const child = fork(options.workerPath ?? defaultTaskWorkerPath(), [], { env, execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const stop = (reason: string) => {
      outcome ??= { ok: false, reason, steps, testTail };
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop(`over the time budget (${_minutes(options.timeoutMs)}); killed`), options.timeoutMs);
    const onAbort = () => stop(String(options.signal?.reason ?? "stopped"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (child.pid) options.onStart(child.pid);
    child.on("message", (message: TaskWorkerMessage) => {
      if (message.type === "step") {
        steps = message.step;
        const delta = _minus(message.usage, last);
        last = message.usage;
        options.onStep(steps, delta, message.usage);
        if (totalTokens(message.usage) > task.maxTokens) stop(`over the token budget (${totalTokens(message.usage)} of ${task.maxTokens}) after ${steps} step(s); killed`);
        else if (steps > task.maxSteps) stop(`over the step budget (${task.maxSteps}); killed`);
      } else if (message.type === "command") testTail = message.tail;
      else if (message.type === "done") outcome ??= { ok: true, summary: message.summary, steps: message.steps, testTail };
      else outcome ??= { ok: false, reason: message.error, steps: message.steps || steps, testTail };
    });
    child.on("error", (error) => {
      outcome ??= { ok: false, reason: `could not run the task worker: ${error.message}`, steps, testTail };
    });
    child.on("exit", (code, killedBy) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve(outcome ?? { ok: false, reason: killedBy ? `the task worker was killed by ${killedBy}` : `the task worker exited with code ${code} before finishing`, steps, testTail });
    });
    try {
      options.prepare?.();
      child.send(task);
    } catch (error) {
      stop((error as Error).message);
    }
  });
}

function _minus(total: TokenUsage, before: TokenUsage | undefined): TokenUsage {
  if (!before) return total;
  return { calls: total.calls - before.calls, input: total.input - before.input, output: total.output - before.output, cacheRead: total.cacheRead - before.cacheRead, cacheWrite: total.cacheWrite - before.cacheWrite };
}

/** The compiled worker next to this file, or under dist/ when this file runs from source (tests). */
export function defaultTaskWorkerPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, "task-worker.js");
  return existsSync(beside) ? beside : path.resolve(here, "../../dist/daemon/tasks/task-worker.js");
}

function _minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
