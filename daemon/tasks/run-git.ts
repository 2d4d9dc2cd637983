import { execFileSync } from "node:child_process";

export class TaskGitError extends Error {
  override name = "TaskGitError";
}

/**
 * Runs git in `cwd` and returns its stdout. The environment is only what git needs, so a user's
 * GIT_DIR or GIT_INDEX_FILE can never point a task's git at the user's own checkout.
 */
export function runGit(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, { asUser = false, privateFiles = false, timeoutMs = 0 } = {}): string {
  // privateFiles: what git creates is the user's alone (umask 077), as everything under VIGIL_HOME.
  const [file, argv] = privateFiles ? ["/bin/sh", ["-c", 'umask 077 && exec git "$@"', "git", ...args]] : ["git", [...args]];
  try {
    return execFileSync(file, argv, { cwd, env: asUser ? _keptEnv(env) : gitEnv(env), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs });
  } catch (error) {
    if ((error as { code?: string }).code === "ETIMEDOUT") throw new TaskGitError(`git ${args.join(" ")} timed out after ${Math.round(timeoutMs / 1000)} s in ${cwd}`);
    const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
    throw new TaskGitError(`git ${args.join(" ")} failed in ${cwd}: ${stderr || (error as Error).message}`);
  }
}

/** Vigil commits as itself, never as the user. */
export const VIGIL_AUTHOR = { name: "Vigil", email: "vigil@localhost" };

export function gitEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ..._keptEnv(env),
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: VIGIL_AUTHOR.name,
    GIT_AUTHOR_EMAIL: VIGIL_AUTHOR.email,
    GIT_COMMITTER_NAME: VIGIL_AUTHOR.name,
    GIT_COMMITTER_EMAIL: VIGIL_AUTHOR.email,
  };
}

/** `asUser`: the user's own git identity (from their config), as when they apply a task's commits. */
function _keptEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const names = ["PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "TZ", "SSH_AUTH_SOCK", "GIT_SSH_COMMAND", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"];
  return { ...Object.fromEntries(names.filter((name) => env[name] !== undefined).map((name) => [name, env[name]])), GIT_TERMINAL_PROMPT: "0" };
}
