import { hasCommit } from "../../tasks/has-commit.js";
import { runGit } from "../../tasks/run-git.js";
import type { TaskPatchStore } from "../../tasks/task-patch-store.js";
import type { TaskRecord } from "../../tasks/task-store.js";

/**
 * `vigil task show`'s commits and diff: the series kept in the store (commit, subject), and the
 * diff from the checkout while it holds the task's commits, else from the stored patches (each
 * with its message and diffstat), else a line saying neither has them.
 */
export function describeTaskCommits(task: TaskRecord, patches: TaskPatchStore, env: NodeJS.ProcessEnv): string[] {
  if (!task.headCommit) return [];
  const series = patches.list(task.id);
  const lines: string[] = [];
  if (series.length > 0) {
    lines.push("", `commits (${series.length}, kept in the store):`, ...series.map((patch) => `  ${patch.commit.slice(0, 12)} ${patch.subject}`));
  } else {
    const reason = patches.missingReason(task);
    if (reason) lines.push("", `commits: not kept in the store (${reason}): the branch ${task.branch} is their only copy`);
  }
  if (hasCommit(task.repoDir, task.headCommit, env)) {
    lines.push("", "diff:", runGit(task.repoDir, ["diff", "--stat", "--patch", task.baseCommit, task.headCommit], env).trimEnd());
  } else if (series.length > 0) {
    const patchText = series.map((patch) => patch.patch.toString("utf8")).join("").trimEnd();
    lines.push("", `diff (from the store: ${task.branch}'s commits are no longer in ${task.repoDir}):`, ...(task.diffstat ? [task.diffstat, ""] : []), patchText);
  } else {
    lines.push("", `diff: not available: the commits of ${task.branch} are no longer in ${task.repoDir}, and the store holds none of them`);
  }
  return lines;
}
