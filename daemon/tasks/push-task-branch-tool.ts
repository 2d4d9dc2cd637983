import { z } from "zod";
import type { VigilDatabase } from "../store/open-database.js";
import { defineTool, ToolError } from "../toolkit/tool.js";
import { findDoneTaskAction } from "./find-done-action.js";
import { runGit } from "./run-git.js";
import type { TaskRecord, TaskStore } from "./task-store.js";

export const taskId = z.number().int().positive();

/** A task that ended with commits on its branch, or a tool error saying why not. */
export function finishedTask(store: TaskStore, id: number): TaskRecord & { headCommit: string } {
  const task = store.get(id);
  if (!task) throw new ToolError(`there is no task #${id}`);
  if (task.state !== "done" || !task.headCommit) throw new ToolError(`task #${id} is ${task.state}${task.state === "done" ? " without changes" : ""}; only a done task with commits can go out`);
  return task as TaskRecord & { headCommit: string };
}

/** `push_task_branch`: pushes the task branch to the repository's `origin`, once per task. */
export function createPushTaskBranchTool({ db, store, env }: { db: VigilDatabase; store: TaskStore; env: NodeJS.ProcessEnv }) {
  return defineTool({
    name: "push_task_branch",
    description: "Push a done task's branch (vigil/task-<id>) to the repository's origin remote. Done at most once per task.",
    risk: "external",
    input: z.strictObject({ task: taskId }),
    run({ task: id }) {
      const earlier = findDoneTaskAction(db, "push_task_branch", id);
      if (earlier) return { content: `task #${id}'s branch was already pushed (${earlier.state}: ${earlier.outcome ?? "no outcome recorded"}); not pushed again`, repeated: true };
      const task = finishedTask(store, id);
      runGit(task.repoDir, ["push", "--quiet", "origin", `${task.headCommit}:refs/heads/${task.branch}`], env);
      return { content: `pushed ${task.branch} (${task.headCommit.slice(0, 12)}) to origin` };
    },
  });
}
