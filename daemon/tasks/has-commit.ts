import { runGit } from "./run-git.js";

/** Whether `dir` is a git checkout holding commit `sha` (a deleted, pruned branch's commits are gone; another clone may never have had them). */
export function hasCommit(dir: string, sha: string, env?: NodeJS.ProcessEnv): boolean {
  try {
    runGit(dir, ["cat-file", "-e", `${sha}^{commit}`], env);
    return true;
  } catch {
    return false;
  }
}
