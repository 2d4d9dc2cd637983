import { existsSync } from "node:fs";
import path from "node:path";
import { applyTaskSeries } from "./apply-task-series.js";
import { hasCommit } from "./has-commit.js";
import { runGit, TaskGitError } from "./run-git.js";
import { TaskApplyError } from "./task-apply-error.js";
import type { StoredTaskPatch } from "./task-patch-store.js";
import type { TaskRecord } from "./task-store.js";

export { TaskApplyError } from "./task-apply-error.js";

/** What the store holds of a task's commits (daemon/tasks/task-patch-store.ts). */
export interface StoredSeries {
  patches: readonly StoredTaskPatch[];
  /** Why there is no series, when one was tried. */
  missingReason?: string;
}

export interface AppliedTask {
  commits: number;
  branch: string;
  /** `repository`: cherry-picked from the task's commits in the checkout; `store`: `git am` of the stored series. */
  from: "repository" | "store";
}

/** git's marks of an operation in progress in a checkout, and how the user ends one. */
const IN_PROGRESS: ReadonlyArray<[mark: string, what: string]> = [
  ["rebase-apply", "an am or a rebase (git am --continue or --abort; git rebase --continue or --abort)"],
  ["rebase-merge", "a rebase (git rebase --continue or --abort)"],
  ["CHERRY_PICK_HEAD", "a cherry-pick (git cherry-pick --continue or --abort)"],
  ["MERGE_HEAD", "a merge (git commit, or git merge --abort)"],
  ["REVERT_HEAD", "a revert (git revert --continue or --abort)"],
];

/**
 * `vigil task apply`: the task's commits onto the user's current branch, in their own checkout and
 * as themselves. Refused on a dirty tree or an operation in progress (nothing of theirs is ever
 * mixed in or lost). While the checkout holds the task's commits they are cherry-picked, and a
 * conflict is aborted, leaving the checkout as it was; once they are gone (the branch deleted and
 * pruned, or a checkout that never had them) the series kept in the store is applied with `git am`.
 */
export function applyTask(task: TaskRecord, env: NodeJS.ProcessEnv, stored: StoredSeries): AppliedTask {
  if (task.state !== "done" || !task.headCommit) throw new TaskApplyError(`task #${task.id} is ${task.state}${task.state === "done" ? " without changes" : ""}: there is nothing to apply`);
  if (!existsSync(task.repoDir)) throw new TaskApplyError(`${task.repoDir}, the checkout task #${task.id} ran from, is not there: clone the repository there (at or before ${task.baseCommit.slice(0, 12)}), then run \`vigil task apply ${task.id}\` again`);
  const git = (args: string[]) => runGit(task.repoDir, args, env, { asUser: true });
  _checkReady(task, git);
  const branch = git(["rev-parse", "--abbrev-ref", "HEAD"]).trim();
  if (hasCommit(task.repoDir, task.headCommit, env)) return { commits: _cherryPick(task, task.headCommit, branch, git), branch, from: "repository" };
  if (stored.patches.length === 0) {
    throw new TaskApplyError(
      `the commits of task #${task.id} are no longer in ${task.repoDir} (its branch ${task.branch} was deleted and pruned, or this checkout never had them), and the store holds none of them${stored.missingReason ? ` (${stored.missingReason})` : ""}: there is nothing to apply`,
    );
  }
  applyTaskSeries(task, stored.patches, branch, env);
  return { commits: stored.patches.length, branch, from: "store" };
}

function _checkReady(task: TaskRecord, git: (args: string[]) => string): void {
  let dirty: string;
  let marks: string[];
  try {
    dirty = git(["status", "--porcelain", "--untracked-files=no"]).trim();
    marks = git(["rev-parse", ...IN_PROGRESS.flatMap(([mark]) => ["--git-path", mark])]).trim().split("\n");
  } catch (error) {
    if (!(error instanceof TaskGitError)) throw error;
    throw new TaskApplyError(`${task.repoDir} is not a git checkout git can use (${error.message.split("\n")[0]}): task #${task.id} applies to the repository it ran from`);
  }
  const busy = IN_PROGRESS.find((_, i) => existsSync(path.resolve(task.repoDir, marks[i] ?? "")));
  if (busy) throw new TaskApplyError(`${task.repoDir} is in the middle of ${busy[1]}: end that first, then run \`vigil task apply ${task.id}\` again`);
  if (dirty) throw new TaskApplyError(`${task.repoDir} has uncommitted changes:\n${dirty}\ncommit or stash them, then run \`vigil task apply ${task.id}\` again`);
}

function _cherryPick(task: TaskRecord, headCommit: string, branch: string, git: (args: string[]) => string): number {
  const commits = git(["rev-list", "--count", `${task.baseCommit}..${headCommit}`]).trim();
  try {
    git(["cherry-pick", "--allow-empty", `${task.baseCommit}..${headCommit}`]);
  } catch (error) {
    try {
      git(["cherry-pick", "--abort"]);
    } catch {
      // nothing in progress
    }
    const reason = error instanceof TaskGitError ? error.message : String(error);
    throw new TaskApplyError(`the commits of task #${task.id} do not apply cleanly to ${branch}; your checkout is as it was (${reason.split("\n")[0]}). Try \`git cherry-pick ${task.baseCommit.slice(0, 12)}..${task.branch}\` yourself`);
  }
  return Number(commits);
}
