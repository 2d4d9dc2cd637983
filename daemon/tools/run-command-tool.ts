import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { defineTool } from "../toolkit/tool.js";
import { sandboxArgv, type CommandSandbox } from "./sandbox/sandbox-command.js";
import { resolveInWorkspace } from "./workspace/resolve-in-workspace.js";

const MAX_OUTPUT = 16 * 1024;
/** Only what a shell needs; API keys, tokens and the daemon's own settings stay out. */
const KEPT_ENV = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TERM", "TMPDIR", "TZ"];

export interface RunCommandOptions {
  roots: readonly string[];
  /** A command that went to the background has finished; the caller turns this into an event (tools never touch the queue). */
  onBackgroundDone: (done: BackgroundCommandDone) => void;
  env?: NodeJS.ProcessEnv;
  /** How long a turn waits for the command before it moves to the background. */
  blockingMs?: number;
  timeoutMs?: number;
  /** Run each command under bubblewrap (see daemon/tools/sandbox/); absent runs it bare. */
  sandbox?: CommandSandbox;
}

export interface BackgroundCommandDone {
  job: string;
  command: string;
  cwd: string;
  /** `exit N`, `killed by SIG…` or the timeout, then the bounded output. */
  result: string;
  status: string;
}

interface Finished {
  code: number | null;
  signal: string | null;
  output: string;
  timedOut: boolean;
}

/**
 * `run_command`: a shell command in a workspace root, with a scrubbed environment, bounded output
 * and a timeout that kills its whole process group. One that outlives the blocking budget goes on
 * in the background; its result comes back later as an event.
 */
export function createRunCommandTool({ roots, onBackgroundDone, env = process.env, blockingMs = 15_000, timeoutMs = 10 * 60_000, sandbox }: RunCommandOptions) {
  let jobs = 0;
  return defineTool({
    name: "run_command",
    description: `Run a shell command in the workspace (no secrets in its environment; output is truncated; long commands finish in the background and report back as an event).${sandbox ? ` It runs in a sandbox: only its workspace root is writable, /tmp is private${sandbox.network ? "" : ", there is no network"}.` : ""}`,
    risk: "exec",
    input: z.strictObject({ command: z.string().min(1).max(4000), cwd: z.string().min(1).optional() }),
    async run({ command, cwd }, { turnId }) {
      const dir = resolveInWorkspace(roots, cwd ?? ".");
      const argv = sandbox ? [sandbox.bwrap, sandboxArgv({ bwrap: sandbox.bwrap, writable: _rootOf(roots, dir), hidden: sandbox.hidden, network: sandbox.network, cwd: dir }, command)] as const : (["/bin/sh", ["-c", command]] as const);
      const finished = _spawn(argv[0], [...argv[1]], dir, scrubEnv(env), timeoutMs);
      const early = await Promise.race([finished, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), blockingMs).unref())]);
      if (early) return { content: describeFinished(early), isError: early.code !== 0 };
      const job = `${turnId}-${++jobs}`;
      void finished.then((done) => onBackgroundDone({ job, command, cwd: dir, result: describeFinished(done), status: done.timedOut ? "timed out" : `exit ${done.code}` }));
      return { content: `still running after ${Math.round(blockingMs / 1000)} s; it continues in the background as job ${job} and its result will arrive as an event` };
    },
  });
}

export function scrubEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(KEPT_ENV.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]));
}

function describeFinished(done: Finished): string {
  const status = done.timedOut ? "killed after the timeout" : done.signal ? `killed by ${done.signal}` : `exit ${done.code}`;
  return `${status}\n${done.output || "(no output)"}`;
}

/** The workspace root the command's directory lies in: the only place it may write. */
function _rootOf(roots: readonly string[], dir: string): string {
  const real = roots.map((root) => realpathSync(root));
  return real.find((root) => dir === root || dir.startsWith(root + path.sep)) ?? dir;
}

function _spawn(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let dropped = 0;
    const take = (chunk: Buffer) => {
      const room = MAX_OUTPUT - output.length;
      if (room > 0) output += chunk.toString("utf8").slice(0, room);
      dropped += Math.max(0, chunk.length - Math.max(room, 0));
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      _killGroup(child.pid);
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, output: dropped ? `${output}\n… (${dropped} more bytes of output dropped)` : output });
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: 127, signal: null, timedOut: false, output: error.message });
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
