import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { startMessagesApiServer, toolUse, type RecordedRequest } from "../support/messages-api-server.js";
import { cleanEnv, runVigil, spawnVigil, waitFor } from "../support/run-vigil.js";
import { FIX_STEPS, git, isWorkerRequest, makeBuggyRepo, workerResponder, workerStep } from "../support/task-repo.js";
import { makeTempHome } from "../support/temp-home.js";
import { checkSystemTools } from "../support/system-tools.js";

const gitTool = checkSystemTools({ git: "git" });

/** A task worker of this home, found by its command line and environment. */
function findTaskWorker(home: string): number | undefined {
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("task-worker.js") && readFileSync(`/proc/${entry}/environ`, "utf8").includes(`VIGIL_HOME=${home}\0`)) return Number(entry);
    } catch {
      // ended while we looked
    }
  }
  return undefined;
}

describe.skipIf(gitTool.skip)(gitTool.title("tasks across a SIGKILL of the daemon"), () => {
  beforeAll(() => gitTool.assertPresent());
  it("a task whose daemon was killed mid-run is interrupted, runs again once from a fresh worktree, finishes; one branch, one commit, one push", async () => {
    const home = makeTempHome();
    const repo = makeBuggyRepo(path.join(home, "code", "app"));
    const remote = path.join(home, "remote.git");
    git(home, "init", "--quiet", "--bare", remote);
    git(repo, "remote", "add", "origin", remote);
    git(repo, "push", "--quiet", "origin", "main");
    const before = { status: git(repo, "status", "--porcelain"), head: git(repo, "rev-parse", "HEAD") };
    writeFileSync(
      path.join(home, "config.yaml"),
      `timezone: UTC\nserver: { port: 0 }\nnotify: { desktop: false }\nheartbeat: { tickSeconds: 0.1, settleMs: 20, idleWakeMinutes: 0, quietHours: null }\n` +
        `tools: { workspace: [${repo}], policy: { start_task: auto, push_task_branch: auto } }\n`,
    );
    let hung = false;
    const worker = workerResponder(FIX_STEPS);
    const server = await startMessagesApiServer({
      fallback: (request: RecordedRequest) => {
        if (isWorkerRequest(request)) {
          // The first attempt stalls before its test run: the daemon is killed there.
          if (workerStep(request) === 4 && !hung) return (hung = true), { kind: "hang" };
          return worker(request);
        }
        const last = request.body.messages.at(-1)!;
        const prompt = typeof last.content === "string" ? last.content : "";
        if (prompt.includes("task/finished") || prompt.includes("push it again")) return toolUse("push_task_branch", { task: 1 });
        if (prompt.includes("user/message")) return toolUse("start_task", { repo: "app", goal: "node test.js fails: fix it" });
        return toolUse("stay_quiet", { reason: "nothing to do" });
      },
    });
    const env = cleanEnv(home, { ANTHROPIC_API_KEY: "sk-test-key-for-loopback", ANTHROPIC_BASE_URL: server.url, VIGIL_LOG_LEVEL: "error" });
    try {
      const first = spawnVigil(["start"], env);
      await waitFor(() => /running \(pid/.test(first.output().stderr), 15_000, "the daemon");
      expect(runVigil(["tell", "node test.js fails in app: fix it"], env).code).toBe(0);
      await waitFor(() => hung && findTaskWorker(home), 30_000, "the worker to stall at its fourth step");
      first.child.kill("SIGKILL");
      await first.exited;
      // Its channel closed, the orphaned worker stops by itself.
      await waitFor(() => findTaskWorker(home) === undefined, 10_000, "the orphaned worker to exit");

      const second = spawnVigil(["start"], env);
      const db = new Database(path.join(home, "vigil.db"), { readonly: true });
      const pushes = () => db.prepare("SELECT state, outcome FROM actions WHERE tool = 'push_task_branch' ORDER BY started_at").all() as Array<{ state: string; outcome: string }>;
      await waitFor(() => pushes().some((push) => push.state === "done"), 60_000, "the task to finish and its branch to be pushed");
      expect(runVigil(["tell", "push it again"], env).code).toBe(0);
      await waitFor(() => pushes().length === 2 && pushes()[1]!.state === "done", 30_000, "the second push attempt");
      second.child.kill("SIGTERM");
      await second.exited;

      const task = db.prepare("SELECT state, attempt, head_commit AS head, base_commit AS base FROM tasks WHERE id = 1").get() as { state: string; attempt: number; head: string; base: string };
      expect(task).toMatchObject({ state: "done", attempt: 2 });
      const transitions = (db.prepare("SELECT data FROM journal WHERE kind = 'task' ORDER BY seq").pluck().all() as string[]).map((data) => JSON.parse(data).to);
      expect(transitions).toEqual(["queued", "running", "interrupted", "queued", "running", "done"]);
      expect(pushes()[0]!.outcome).toBe(`pushed vigil/task-1 (${task.head.slice(0, 12)}) to origin`);
      expect(pushes()[1]!.outcome).toContain("already pushed");
      expect(git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads/vigil").trim()).toBe("vigil/task-1");
      expect(git(repo, "rev-list", "--count", `${task.base}..vigil/task-1`).trim()).toBe("1");
      expect(git(remote, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/vigil").trim()).toBe(`refs/heads/vigil/task-1 ${task.head}`);
      expect(git(repo, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(2);
      expect({ status: git(repo, "status", "--porcelain"), head: git(repo, "rev-parse", "HEAD") }).toEqual(before);
      expect(runVigil(["log", "verify"], env).code).toBe(0);
      db.close();
    } finally {
      await server.close();
    }
  });
});
