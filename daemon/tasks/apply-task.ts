import { runGit, TaskGitError } from "./run-git.js";
import type { TaskRecord } from "./task-store.js";

export class TaskApplyError extends Error {
  override name = "TaskApplyError";
}

/**
 * `vigil task apply`: the task's commits cherry-picked onto the user's current branch, in their
 * own checkout and as themselves. Refused on a dirty tree (nothing of theirs is ever mixed in or
 * lost); a conflict is aborted, leaving the checkout as it was.
 */
export function applyTask(task: TaskRecord, env: NodeJS.ProcessEnv): { commits: number; branch: string } {
  if (task.state !== "done" || !task.headCommit) throw new TaskApplyError(`task #${task.id} is ${task.state}${task.state === "done" ? " without changes" : ""}: there is nothing to apply`);
  const git = (args: string[]) => runGit(task.repoDir, args, env, { asUser: true });
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]).trim();
  if (dirty) throw new TaskApplyError(`${task.repoDir} has uncommitted changes:\n${dirty}\ncommit or stash them, then run \`vigil task apply ${task.id}\` again`);
  const branch = git(["rev-parse", "--abbrev-ref", "HEAD"]).trim();
  const commits = git(["rev-list", "--count", `${task.baseCommit}..${task.headCommit}`]).trim();
  try {
    git(["cherry-pick", "--allow-empty", `${task.baseCommit}..${task.headCommit}`]);
  } catch (error) {
    try {
      git(["cherry-pick", "--abort"]);
    } catch {
      // nothing in progress
    }
    const reason = error instanceof TaskGitError ? error.message : String(error);
    throw new TaskApplyError(`the commits of task #${task.id} do not apply cleanly to ${branch}; your checkout is as it was (${reason.split("\n")[0]}). Try \`git cherry-pick ${task.baseCommit.slice(0, 12)}..${task.branch}\` yourself`);
  }
  return { commits: Number(commits), branch };
}
