import { z } from "zod";
import { defineTool } from "../toolkit/tool.js";
import { pinTaskRef, resolveTaskRepo, type TaskRepoConfig } from "./resolve-task-repo.js";
import type { TaskStore } from "./task-store.js";

export interface TaskLimits {
  maxSteps: number;
  maxTokens: number;
  timeoutMinutes: number;
  model: string;
}

/**
 * `start_task`: hands a piece of real work to a worker in its own worktree. It only records the
 * task and returns its id; the result comes back later as a task.finished or task.failed event.
 */
export function createStartTaskTool({ store, repos, limits }: { store: TaskStore; repos: () => TaskRepoConfig; limits: () => TaskLimits }) {
  return defineTool({
    name: "start_task",
    description:
      "Start a coding task (fix a failing test, a small change) in an isolated worktree of a repository the user configured; it runs in the background and its result (summary, diffstat, test output) arrives as a task.finished or task.failed event. Nothing is pushed.",
    risk: "exec",
    input: z.strictObject({
      repo: z.string().min(1).max(300),
      goal: z.string().min(1).max(4000),
      ref: z.string().min(1).max(200).optional(),
    }),
    // Asked for with `pr:N`, the approval holds the PR's head commit as it is now (`pr:N@COMMIT`).
    pinForApproval: ({ repo, goal, ref }) => {
      const pinned = pinTaskRef(repos(), repo, ref);
      return pinned === undefined ? { repo, goal } : { repo, goal, ref: pinned };
    },
    run({ repo, goal, ref }, { turnId, now }) {
      const resolved = resolveTaskRepo(repos(), repo, ref);
      const { maxSteps, maxTokens, timeoutMinutes, model } = limits();
      const task = store.create({ repo, repoDir: resolved.dir, ref: ref ?? null, baseCommit: resolved.baseCommit, goal, maxSteps, maxTokens, timeoutMs: timeoutMinutes * 60_000, model, turnId }, now);
      return { content: `task #${task.id} queued on branch ${task.branch} from ${task.baseCommit.slice(0, 12)}; its result will arrive as an event` };
    },
  });
}
