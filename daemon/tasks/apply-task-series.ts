import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { runGit, TaskGitError } from "./run-git.js";
import type { StoredTaskPatch } from "./task-patch-store.js";
import type { TaskRecord } from "./task-store.js";
import { TaskApplyError } from "./task-apply-error.js";

/**
 * `git am --3way` in the user's checkout, as the user, with the series as stored: subjects as
 * written (`--keep`), CRs kept, whitespace applied as it is, no scissors or Message-Id, whatever
 * their am.* and apply.* config says. A patch that does not apply leaves the am stopped there
 * (with conflict markers when 3-way could merge), so the user can finish it or undo all of it.
 */
export function applyTaskSeries(task: TaskRecord, patches: readonly StoredTaskPatch[], branch: string, env: NodeJS.ProcessEnv): void {
  const git = (args: string[], input?: Buffer) => runGit(task.repoDir, args, env, { asUser: true, ...(input ? { input } : {}) });
  try {
    git(["am", "--3way", "--keep", "--keep-cr", "--no-scissors", "--no-message-id", "--whitespace=nowarn", "--quiet"], Buffer.concat(patches.map((patch) => patch.patch)));
  } catch (error) {
    const reason = (error instanceof TaskGitError ? error.message : String(error)).split("\n")[0]!;
    const stopped = _stoppedAt(task.repoDir, git);
    if (stopped === undefined) throw new TaskApplyError(`git am could not start in ${task.repoDir}: ${reason}; your checkout is as it was`);
    const patch = patches[stopped - 1];
    const which = patch ? `commit ${stopped} of ${patches.length} (${patch.commit.slice(0, 12)} "${patch.subject}")` : `commit ${stopped} of ${patches.length}`;
    throw new TaskApplyError(
      `${which} of task #${task.id} does not apply to ${branch} in ${task.repoDir} (${reason}). git am stopped there${stopped > 1 ? `, with the ${stopped - 1} before it applied` : ""}: ` +
        "resolve the conflicts, `git add` the files and run `git am --continue`; or run `git am --abort` to put the checkout back as it was",
    );
  }
}

/** The patch a stopped `git am` is at (1-based), from its state directory; undefined when no am is in progress. */
function _stoppedAt(repoDir: string, git: (args: string[]) => string): number | undefined {
  try {
    const next = path.resolve(repoDir, git(["rev-parse", "--git-path", "rebase-apply/next"]).trim());
    return existsSync(next) ? Number(readFileSync(next, "utf8").trim()) : undefined;
  } catch {
    return undefined;
  }
}
