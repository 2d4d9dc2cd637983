import { spawn } from "node:child_process";

const MAX_OUTPUT = 16 * 1024;

export interface HookRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * One hook command: `/bin/sh -c` with the JSON on stdin, in its own process group so a timeout
 * kills everything it started, with stdout and stderr each kept to 16 KiB.
 */
export function runHookCommand(command: string, input: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<HookRun> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", command], { env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    const out = { stdout: "", stderr: "" };
    const keep = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
      if (out[stream].length < MAX_OUTPUT) out[stream] += chunk.toString("utf8").slice(0, MAX_OUTPUT - out[stream].length);
    };
    child.stdout.on("data", keep("stdout"));
    child.stderr.on("data", keep("stderr"));
    // A hook that does not read its stdin must not fail the write.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      _killGroup(child.pid);
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, ...out });
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: 127, timedOut: false, stdout: "", stderr: error.message });
    });
  });
}

function _killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}
