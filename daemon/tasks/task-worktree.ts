import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { runGit } from "./run-git.js";

export function worktreeDir(home: string, id: number): string {
  return path.join(home, "worktrees", `task-${id}`);
}

/**
 * A fresh worktree on `branch` at `baseCommit`. A retry starts over: the old worktree is removed
 * and the branch reset to the base, so there is only ever one branch and one commit series.
 * The user's working tree, index, HEAD and stash are not touched (only `.git/worktrees/` is).
 */
export function createTaskWorktree(repoDir: string, dir: string, branch: string, baseCommit: string, env?: NodeJS.ProcessEnv): void {
  removeTaskWorktree(repoDir, dir, env);
  mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  // checkout.workers=0: check files out on every core (a 10,000-file repository in well under a second).
  runGit(repoDir, ["-c", "checkout.workers=0", "worktree", "add", "--quiet", "--force", "-B", branch, dir, baseCommit], env, { privateFiles: true });
}

export function removeTaskWorktree(repoDir: string, dir: string, env?: NodeJS.ProcessEnv): void {
  if (existsSync(dir)) {
    try {
      runGit(repoDir, ["worktree", "remove", "--force", "--force", dir], env);
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  runGit(repoDir, ["worktree", "prune"], env);
}

/**
 * Commits whatever the worker left uncommitted (author Vigil), then returns the head of the task's
 * work: HEAD when the branch has commits since `baseCommit`, whoever made them (the worker may
 * commit itself through run_command, leaving nothing for Vigil to commit), or null when it has none.
 */
export function commitTaskWork(dir: string, baseCommit: string, message: string, env?: NodeJS.ProcessEnv): string | null {
  runGit(dir, ["add", "--all"], env);
  // --no-verify: the user's hooks are theirs to run; the user sees the commit before it goes anywhere.
  if (runGit(dir, ["status", "--porcelain"], env).trim() !== "") runGit(dir, ["commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message], env);
  // A head the worker moved back to (or behind) the base has no commits of the task's.
  if (runGit(dir, ["rev-list", "--count", `${baseCommit}..HEAD`], env).trim() === "0") return null;
  return runGit(dir, ["rev-parse", "HEAD"], env).trim();
}

export function diffstatSince(dir: string, baseCommit: string, env?: NodeJS.ProcessEnv): string {
  return runGit(dir, ["diff", "--stat", baseCommit, "HEAD"], env).trim();
}
