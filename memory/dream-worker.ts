import { createAnthropicClient } from "../daemon/brain/model-client.js";
import { openReadonlyDatabase } from "../daemon/store/open-database.js";
import { DREAM_SYSTEM, renderDreamRequest } from "./dream-prompt.js";
import { readMemoryIndex } from "./read-memory-index.js";
import { runSubTurn } from "./run-sub-turn.js";
import type { DreamTask, WorkerMessage } from "./dream-protocol.js";
import { createDreamTools } from "./dream-tools.js";
import { searchRecall } from "./search-recall.js";

/**
 * The forked dream process. It gets a task over IPC, opens the database read-only (search only),
 * talks to the model with memory tools over the staging copy, reports usage and its summary, and
 * exits. It never touches the live memory, the journal, a notifier or a shell.
 */
function _send(message: WorkerMessage): void {
  process.send?.(message);
}

process.once("message", (task: DreamTask) => {
  const db = openReadonlyDatabase(task.dbFile);
  const client = createAnthropicClient({ env: process.env });
  const tools = createDreamTools(task.stagingDir, (query) => searchRecall(db, query));
  const request = {
    what: "a dream (only memory tools exist here)",
    system: DREAM_SYSTEM,
    request: renderDreamRequest(task, readMemoryIndex(task.stagingDir)),
    model: task.model,
    maxTokens: task.maxTokens,
    maxSteps: task.maxSteps,
  };
  runSubTurn({ client, tools, onUsage: (model, usage) => _send({ type: "usage", model, usage }), now: () => new Date() }, request)
    .then((result) => _send({ type: "done", summary: result.summary, steps: result.steps }))
    .catch((error: Error) => _send({ type: "failed", error: error.message }))
    .finally(() => {
      db.close();
      process.disconnect?.();
    });
});
