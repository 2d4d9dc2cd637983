import { existsSync } from "node:fs";
import path from "node:path";
import { expandHome } from "../paths/expand-home.js";
import { ToolError } from "../toolkit/tool.js";
import { runGit } from "./run-git.js";

export interface TaskRepoConfig {
  /** `tools.workspace` roots. */
  workspace: readonly string[];
  /** `github.clones`: owner/name → local clone. */
  clones: Readonly<Record<string, string>>;
  env: NodeJS.ProcessEnv;
}

export interface ResolvedRepo {
  /** As the user and the model name it: owner/name or the workspace root. */
  repo: string;
  dir: string;
  baseCommit: string;
}

/**
 * A task's repository and base commit. `repo` is an `owner/name` mapped in `github.clones`, or a
 * workspace root (its path, or its folder name) that is a git checkout; `ref` is a branch, a
 * commit, or `pr:N` (fetched from the remote's `refs/pull/N/head`); default its HEAD.
 */
export function resolveTaskRepo(config: TaskRepoConfig, repo: string, ref: string | undefined): ResolvedRepo {
  const dir = _repoDir(config, repo);
  if (!existsSync(path.join(dir, ".git"))) throw new ToolError(`${repo} (${dir}) is not a git checkout; tasks need one`);
  return { repo, dir, baseCommit: _resolveRef(dir, ref, config.env) };
}

function _repoDir({ workspace, clones, env }: TaskRepoConfig, repo: string): string {
  const clone = clones[repo];
  if (clone) return expandHome(clone, env);
  const roots = workspace.map((root) => expandHome(root, env));
  const match = roots.find((root) => root === path.resolve(expandHome(repo, env)) || path.basename(root) === repo);
  if (match) return match;
  const known = [...Object.keys(clones), ...roots];
  throw new ToolError(`"${repo}" is neither a workspace root nor a repository in github.clones; known: ${known.join(", ") || "none (set tools.workspace or github.clones)"}`);
}

function _resolveRef(dir: string, ref: string | undefined, env: NodeJS.ProcessEnv): string {
  const pr = /^pr:(\d+)$/.exec(ref ?? "");
  if (pr) {
    // Into a ref of Vigil's own: FETCH_HEAD and the user's branches stay as they were.
    runGit(dir, ["fetch", "--quiet", "--no-write-fetch-head", "origin", `+refs/pull/${pr[1]}/head:refs/vigil/pull/${pr[1]}`], env);
    return runGit(dir, ["rev-parse", "--verify", `refs/vigil/pull/${pr[1]}^{commit}`], env).trim();
  }
  if (ref !== undefined && (ref.startsWith("-") || ref.includes(".."))) throw new ToolError(`"${ref}" is not a branch, commit or pr:N`);
  try {
    return runGit(dir, ["rev-parse", "--verify", `${ref ?? "HEAD"}^{commit}`], env).trim();
  } catch {
    throw new ToolError(`"${ref ?? "HEAD"}" is not a branch or commit in ${dir}`);
  }
}
