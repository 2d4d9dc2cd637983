import path from "node:path";
import { createTaskRunner, type TaskRunner } from "../../daemon/tasks/task-runner.js";
import { BASE_CONFIG, startHarness, type Harness } from "./daemon-harness.js";
import { toolUse, type RecordedRequest, type Responder } from "./messages-api-server.js";
import { isWorkerRequest, makeBuggyRepo } from "./task-repo.js";
import { makeTempHome } from "./temp-home.js";

export interface TaskHarness {
  h: Harness;
  /** The user's checkout, a workspace root named `app`. */
  repo: string;
  runner: TaskRunner;
}

/**
 * The daemon harness with the user's buggy repository as its workspace and a task runner beside
 * it (as run-daemon's heartbeat job, ticked by the test). `$REPO` in `extra` is the checkout;
 * `tools` is more of the `tools` map (`sandbox: { enabled: false }`).
 */
export async function startTaskHarness(extra = "", env: Record<string, string> = {}, policy = "{ start_task: auto }", tools = ""): Promise<TaskHarness> {
  const repo = makeBuggyRepo(path.join(makeTempHome("vigil-task-repo-"), "app"));
  const config = `${BASE_CONFIG}tools: { workspace: [${repo}], policy: ${policy}${tools ? `, ${tools}` : ""} }\n${extra.replaceAll("$REPO", repo)}`;
  const h = await startHarness({ config, env });
  const runner = createTaskRunner(
    { ...h.ctx, store: h.runtime.tasks, usage: h.runtime.turn.usage, timeZone: "UTC", maxOutputTokens: 4096, ...(h.runtime.sandbox ? { sandbox: h.runtime.sandbox } : {}) },
    { home: h.home, maxConcurrent: h.ctx.loaded.config.tasks.maxConcurrent, logger: h.ctx.logger },
  );
  return { h, repo, runner };
}

/** What the heartbeat's start_task asks for. */
export interface TaskRequest {
  goal?: string;
  repo?: string;
  ref?: string;
}

/**
 * The heartbeat starts a task on the user's word, pushes and opens a pull request when a task
 * finished (or the user says "ship it"), and stays quiet otherwise; the worker follows `worker`.
 */
export function respond(worker: Responder, { goal = "the test in app fails: fix it", repo = "app", ref }: TaskRequest = {}): Responder {
  return (request: RecordedRequest) => {
    if (isWorkerRequest(request)) return worker(request);
    const last = request.body.messages.at(-1)!;
    if (typeof last.content === "string" && /task\/finished|ship it/.test(last.content)) {
      return { kind: "message", content: [{ type: "tool_use", name: "push_task_branch", input: { task: 1 } }, { type: "tool_use", name: "open_pull_request", input: { task: 1, title: "Fix sum", body: "sum subtracted" } }] };
    }
    if (typeof last.content === "string" && last.content.includes("user/message")) return toolUse("start_task", { repo, goal, ...(ref ? { ref } : {}) });
    return toolUse("stay_quiet", { reason: "nothing else to do" });
  };
}

/** The user's word, the turn that starts the task, and the task run to its end. */
export async function runOneTask(h: Harness, runner: TaskRunner, summary = "the test in app fails: fix it"): Promise<void> {
  h.notice({ summary });
  await h.ticks(1, 2000);
  await runner.tick(h.clock.now());
  await runner.idle();
}

/** The tool_result blocks of the worker's requests, one per step after the first. */
export function workerResults(h: Harness): Array<{ content: string; is_error: boolean }> {
  return h.server.requests.filter(isWorkerRequest).slice(1).map((request) => (request.body.messages.at(-1)!.content as Array<{ content: string; is_error: boolean }>)[0]!);
}
