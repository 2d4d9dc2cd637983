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
 * commit, or `pr:N` (fetched from the remote's `refs/pull/N/head`; `pr:N@COMMIT` when pinned at the
 * approval); default its HEAD.
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

/** `pr:N`, or `pr:N@COMMIT` once pinned when the approval was asked for. */
const PULL_REQUEST_REF = /^pr:(\d+)(?:@([0-9a-f]{40}|[0-9a-f]{64}))?$/;

/**
 * `pr:N` as `pr:N@HEAD`: the commit the pull request's head is now. Anyone who can push to the
 * PR could otherwise change what an approved task works on after the user said yes to it.
 */
export function pinTaskRef(config: TaskRepoConfig, repo: string, ref: string | undefined): string | undefined {
  const pr = PULL_REQUEST_REF.exec(ref ?? "");
  if (!pr || pr[2]) return ref;
  return `pr:${pr[1]}@${resolveTaskRepo(config, repo, ref).baseCommit}`;
}

function _resolveRef(dir: string, ref: string | undefined, env: NodeJS.ProcessEnv): string {
  const pr = PULL_REQUEST_REF.exec(ref ?? "");
  if (pr) return _pinnedCommit(dir, pr[1]!, pr[2], _fetchPullRequest(dir, pr[1]!, env), env);
  if (ref !== undefined && (ref.startsWith("-") || ref.includes(".."))) throw new ToolError(`"${ref}" is not a branch, commit or pr:N`);
  try {
    return runGit(dir, ["rev-parse", "--verify", `${ref ?? "HEAD"}^{commit}`], env).trim();
  } catch {
    throw new ToolError(`"${ref ?? "HEAD"}" is not a branch or commit in ${dir}`);
  }
}

/**
 * The pinned commit, while the pull request still holds it (new commits on top are fine); gone
 * from it (a force-push since) the task is refused rather than based on code nobody approved.
 */
function _pinnedCommit(dir: string, number: string, pinned: string | undefined, head: string, env: NodeJS.ProcessEnv): string {
  if (!pinned || pinned === head) return head;
  try {
    runGit(dir, ["merge-base", "--is-ancestor", pinned, head], env);
    return pinned;
  } catch {
    throw new ToolError(`pull request #${number} no longer contains ${pinned.slice(0, 12)}, the commit this task was approved for (it was force-pushed since); nothing was started: ask for it again`);
  }
}

/** A slow remote fails the call instead of holding the daemon (the fetch runs synchronously). */
const FETCH_TIMEOUT_MS = 120_000;

/**
 * The pull request's head, fetched from origin into a ref of Vigil's own. Only that ref changes in
 * the user's clone: no FETCH_HEAD, no tags that point into the PR's history (--no-tags), no
 * remote-tracking ref a configured refspec would update on the side (an empty --refmap).
 */
function _fetchPullRequest(dir: string, number: string, env: NodeJS.ProcessEnv): string {
  let origin: string;
  try {
    origin = runGit(dir, ["remote", "get-url", "origin"], env).trim();
  } catch {
    throw new ToolError(`pr:${number} needs a remote named origin in ${dir} to fetch refs/pull/${number}/head from; it has none (git remote add origin URL)`);
  }
  const own = `refs/vigil/pull/${number}`;
  try {
    runGit(dir, ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--refmap=", "origin", `+refs/pull/${number}/head:${own}`], env, { timeoutMs: FETCH_TIMEOUT_MS });
  } catch (error) {
    const message = (error as Error).message;
    if (/couldn't find remote ref/i.test(message)) throw new ToolError(`pull request #${number} is not on origin (${origin}): it has no refs/pull/${number}/head; check the number`);
    throw new ToolError(`could not fetch pull request #${number} from origin (${origin}): ${message}`);
  }
  return runGit(dir, ["rev-parse", "--verify", `${own}^{commit}`], env).trim();
}
