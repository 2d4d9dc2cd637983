import { spawn } from "node:child_process";

const MAX_OUTPUT = 32 * 1024;

export interface CommandResult {
  code: number | null;
  timedOut: boolean;
  /** The end of the output (stdout and stderr interleaved): where test failures are reported. */
  output: string;
}

/**
 * A shell command in the worktree with the given (scrubbed) environment, killed with its whole
 * process group after the timeout; only the last 32 KiB of output are kept.
 */
export function runWorkerCommand(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, argv?: readonly [string, readonly string[]]): Promise<CommandResult> {
  return new Promise((resolve) => {
    // argv: the sandboxed form (bwrap … /bin/sh -c command); else the shell itself.
    const [file, args] = argv ?? ["/bin/sh", ["-c", command]];
    const child = spawn(file, [...args], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let dropped = 0;
    const take = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.length > MAX_OUTPUT) {
        dropped += output.length - MAX_OUTPUT;
        output = output.slice(-MAX_OUTPUT);
      }
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, output: dropped ? `… (${dropped} earlier bytes dropped)\n${output}` : output });
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: 127, timedOut: false, output: error.message });
    });
  });
}
