import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The built binary, as a user runs it after `npm install`. */
export const VIGIL_BIN = path.join(ROOT, "dist/daemon/cli/main.cjs");

export interface VigilResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An environment with only what a test chooses, so a developer's own keys never leak into a test. */
export function cleanEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, VIGIL_HOME: home, TZ: "UTC", ...extra };
}

export function runVigil(args: string[], env: NodeJS.ProcessEnv): VigilResult {
  const result = spawnSync(process.execPath, [VIGIL_BIN, ...args], { env, encoding: "utf8", timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like runVigil, but leaves this process's event loop free (needed when a loopback server here must answer). */
export async function runVigilAsync(args: string[], env: NodeJS.ProcessEnv): Promise<VigilResult> {
  const running = spawnVigil(args, env);
  const code = await running.exited;
  return { code, ...running.output() };
}

export interface RunningVigil {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/** Starts a long-running verb (`start`) and collects its output; `umask` runs it under that umask, as a login shell would. */
export function spawnVigil(args: string[], env: NodeJS.ProcessEnv, { umask }: { umask?: string } = {}): RunningVigil {
  const child = umask
    ? spawn("/bin/sh", ["-c", `umask ${umask} && exec "$0" "$@"`, process.execPath, VIGIL_BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] })
    : spawn(process.execPath, [VIGIL_BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Polls until `check` passes; for waiting on another process, never as a timing assertion. */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
