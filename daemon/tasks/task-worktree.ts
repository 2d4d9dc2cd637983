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

/** Commits everything the worker changed (author Vigil); returns the new head, or null when nothing changed. */
export function commitTaskWork(dir: string, message: string, env?: NodeJS.ProcessEnv): string | null {
  runGit(dir, ["add", "--all"], env);
  if (runGit(dir, ["status", "--porcelain"], env).trim() === "") return null;
  // --no-verify: the user's hooks are theirs to run; the user sees the commit before it goes anywhere.
  runGit(dir, ["commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message], env);
  return runGit(dir, ["rev-parse", "HEAD"], env).trim();
}

export function diffstatSince(dir: string, baseCommit: string, env?: NodeJS.ProcessEnv): string {
  return runGit(dir, ["diff", "--stat", baseCommit, "HEAD"], env).trim();
}
