import { createAnthropicClient } from "../brain/model-client.js";
import { createToolRegistry } from "../toolkit/tool-registry.js";
import { runTaskLoop } from "./run-task-loop.js";
import { buildTaskPrompt, readTaskFront } from "./task-prompt.js";
import type { TaskWorkerMessage, WorkerTask } from "./worker-protocol.js";
import { createWorkerTools } from "./worker-tools.js";

/**
 * The forked task worker. It gets its task over IPC, works in the worktree with coding tools
 * confined to it, reports usage after each step, and exits. It imports no notifier, no GitHub
 * client and no memory tool; its commands never see the parent's keys.
 */
function _send(message: TaskWorkerMessage): void {
  process.send?.(message);
}

// The daemon died (even by SIGKILL): the IPC channel closes, and a worker nobody waits for stops.
process.on("disconnect", () => process.exit(1));
// The worktree lives under VIGIL_HOME: what the worker and its commands create there is the user's alone.
process.umask(0o077);

process.once("message", (task: WorkerTask) => {
  let finished: string | undefined;
  const tools = createWorkerTools({
    worktree: task.worktree,
    env: process.env,
    commandTimeoutMs: task.commandTimeoutMs,
    ...(task.sandbox ? { sandbox: task.sandbox } : {}),
    onCommand: (tail) => _send({ type: "command", tail }),
    onFinish: (summary) => void (finished = summary),
  });
  const registry = createToolRegistry(tools);
  const prompt = buildTaskPrompt(registry.definitions(), readTaskFront(task.worktree, task.goal, task.branch));
  const client = createAnthropicClient({ env: process.env });
  runTaskLoop(client, { prompt, registry, model: task.model, maxOutputTokens: task.maxOutputTokens, maxSteps: task.maxSteps, maxTokens: task.maxTokens, finished: () => finished, onStep: (step, usage) => _send({ type: "step", step, usage }), now: () => new Date() })
    .then((result) => _send(result.ok ? { type: "done", summary: result.summary, steps: result.steps } : { type: "failed", error: result.error, steps: result.steps }))
    .catch((error: Error) => _send({ type: "failed", error: `the model call failed: ${error.message}`, steps: 0 }))
    .finally(() => process.disconnect?.());
});
