import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TokenUsage } from "../../daemon/brain/usage-ledger.js";
import { forkTaskWorker } from "../../daemon/tasks/fork-task-worker.js";
import { createTaskWorktree } from "../../daemon/tasks/task-worktree.js";
import type { WorkerTask } from "../../daemon/tasks/worker-protocol.js";
import { startMessagesApiServer, toolUse, type RecordedRequest, type ScriptedReply } from "../../test/support/messages-api-server.js";
import { measure, type BenchFigure } from "./measure.js";

const FILES = 10_000;
const RUNS = 5;

/** A worker that looks around for `steps - 1` steps and then finishes. */
const LOOK_AROUND: ScriptedReply[] = [
  toolUse("list_dir", { path: "." }),
  toolUse("read_file", { path: "README.md" }),
  toolUse("search_files", { query: "export const v\\w+ = 42", path: "src/d7" }),
  toolUse("read_file", { path: "src/d7/f7.js" }),
  toolUse("edit_file", { path: "src/d7/f7.js", old: "= 7;", new: "= 8;" }),
  toolUse("run_command", { command: "node -e 'console.log(1 + 1)'" }),
  toolUse("git_diff", {}),
  toolUse("read_file", { path: "src/d9/f9.js" }),
  toolUse("list_dir", { path: "src/d9" }),
  toolUse("finish_task", { summary: "looked around and changed one constant" }),
];

/**
 * A task's start-up over a 10,000-file repository (git worktree add, fork of the worker, its
 * prompt front, until its first model request arrives), and the worker's cached share of input
 * per step against the loopback Messages API, which caches as the API does.
 */
export async function benchTasks(): Promise<BenchFigure[]> {
  const root = mkdtempSync(path.join(tmpdir(), "vigil-bench-task-"));
  const repo = _makeRepo(path.join(root, "repo"));
  let firstRequestAt = 0;
  const server = await startMessagesApiServer({
    fallback: (request: RecordedRequest) => {
      firstRequestAt ||= performance.now();
      return LOOK_AROUND[(request.body.messages.length - 1) / 2] ?? toolUse("finish_task", { summary: "done" });
    },
  });
  const env = { ...process.env, VIGIL_HOME: root, ANTHROPIC_API_KEY: "sk-bench", ANTHROPIC_BASE_URL: server.url };
  const shares: number[] = [];
  let run = 0;
  const task = (worktree: string): WorkerTask => ({ taskId: run, worktree, branch: `vigil/task-${run}`, goal: "look around", model: "claude-sonnet-5-5", maxOutputTokens: 4096, maxSteps: 40, maxTokens: 10_000_000, commandTimeoutMs: 60_000 });
  const worktreeFigure = await measure(`task start-up, ${FILES}-file repo: git worktree add`, "ms", RUNS, () => {
    const start = performance.now();
    createTaskWorktree(repo, path.join(root, "worktrees", `task-${++run}`), `vigil/task-${run}`, "HEAD");
    return performance.now() - start;
  });
  const startFigure = await measure(`task start-up, ${FILES}-file repo: worktree add + fork + prompt, to the first model request`, "ms", RUNS, async () => {
    const worktree = path.join(root, "worktrees", `task-${++run}`);
    firstRequestAt = 0;
    const start = performance.now();
    const steps: TokenUsage[] = [];
    const prepare = () => createTaskWorktree(repo, worktree, `vigil/task-${run}`, "HEAD");
    const outcome = await forkTaskWorker(task(worktree), { env, timeoutMs: 120_000, prepare, onStart: () => undefined, onStep: (_step, delta) => steps.push(delta) });
    if (!outcome.ok) throw new Error(`the worker failed: ${outcome.reason}`);
    for (const usage of steps.slice(1)) shares.push(usage.cacheRead / (usage.input + usage.cacheRead + usage.cacheWrite));
    return firstRequestAt - start;
  });
  await server.close();
  rmSync(root, { recursive: true, force: true });
  const percent = shares.map((share) => share * 100);
  return [
    worktreeFigure,
    startFigure,
    await measure(`task worker: cached share of input per step, steps 2-${LOOK_AROUND.length} (${percent.length} steps over ${RUNS} runs)`, "%", 1, () => percent.sort((a, b) => a - b)[Math.floor(percent.length / 2)]!),
    await measure("task worker: lowest cached share of any step after the first", "%", 1, () => Math.min(...percent)),
  ];
}

function _makeRepo(dir: string): string {
  for (let d = 0; d < 100; d++) {
    mkdirSync(path.join(dir, "src", `d${d}`), { recursive: true });
    for (let f = 0; f < FILES / 100; f++) writeFileSync(path.join(dir, "src", `d${d}`, `f${f}.js`), `export const v${d}_${f} = ${f};\n`);
  }
  writeFileSync(path.join(dir, "README.md"), "# bench\n\nA repository of 10,000 small files.\n".repeat(20));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" } });
  git("init", "--quiet");
  git("add", "-A");
  git("commit", "--quiet", "-m", "10,000 files");
  return dir;
}
