import { execFileSync } from "node:child_process";

export class TaskGitError extends Error {
  override name = "TaskGitError";
  /** True when git wrote more than `maxBytes`: the command was stopped, not refused. */
  readonly overflow: boolean;
  constructor(message: string, { overflow = false } = {}) {
    super(message);
    this.overflow = overflow;
  }
}

export interface RunGitOptions {
  /** The user's own git identity (from their config), as when they apply a task's commits. */
  asUser?: boolean;
  /** What git creates is the user's alone (umask 077), as everything under VIGIL_HOME. */
  privateFiles?: boolean;
  timeoutMs?: number;
  /** Bytes fed to git's standard input (none: stdin is closed). */
  input?: Buffer;
  /** The most stdout may hold; more stops git with an `overflow` error. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Runs git in `cwd` and returns its stdout. The environment is only what git needs, so a user's
 * GIT_DIR or GIT_INDEX_FILE can never point a task's git at the user's own checkout.
 */
export function runGit(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, options: RunGitOptions = {}): string {
  return _exec(cwd, args, env, options).toString("utf8");
}

/** The same, stdout as bytes: a patch is the user's code in whatever encoding it has, not necessarily UTF-8. */
export function runGitBytes(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, options: RunGitOptions = {}): Buffer {
  return _exec(cwd, args, env, options);
}

function _exec(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv, { asUser = false, privateFiles = false, timeoutMs = 0, input, maxBytes = DEFAULT_MAX_BYTES }: RunGitOptions): Buffer {
  const [file, argv] = privateFiles ? ["/bin/sh", ["-c", 'umask 077 && exec git "$@"', "git", ...args]] : ["git", [...args]];
  try {
    return execFileSync(file, argv, {
      cwd,
      env: asUser ? _keptEnv(env) : gitEnv(env),
      stdio: [input ? "pipe" : "ignore", "pipe", "pipe"],
      ...(input ? { input } : {}),
      maxBuffer: maxBytes,
      timeout: timeoutMs,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ETIMEDOUT") throw new TaskGitError(`git ${args.join(" ")} timed out after ${Math.round(timeoutMs / 1000)} s in ${cwd}`);
    if (code === "ENOBUFS") throw new TaskGitError(`git ${args.join(" ")} wrote more than ${maxBytes} bytes in ${cwd}`, { overflow: true });
    const stderr = String((error as { stderr?: Buffer }).stderr ?? "").trim();
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
