import type { CommandSandbox } from "../tools/sandbox/sandbox-command.js";
import type { TokenUsage } from "../brain/usage-ledger.js";

/** What the parent sends the task worker: the worktree and the goal; budgets it enforces itself too. */
export interface WorkerTask {
  taskId: number;
  worktree: string;
  branch: string;
  goal: string;
  model: string;
  /** Per model call. */
  maxOutputTokens: number;
  maxSteps: number;
  maxTokens: number;
  /** Per command the worker runs. */
  commandTimeoutMs: number;
  /** Run the worker's commands under bubblewrap, its worktree the one writable place (absent: bare). */
  sandbox?: CommandSandbox;
}

export type TaskWorkerMessage =
  /** Usage so far, after each model call. */
  | { type: "step"; step: number; usage: TokenUsage }
  /** The tail of the latest command's output (usually the test run). */
  | { type: "command"; tail: string }
  | { type: "done"; summary: string; steps: number }
  | { type: "failed"; error: string; steps: number };
