import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { createUsageLedger } from "../../daemon/brain/usage-ledger.js";
import { openContext } from "../../daemon/context/open-context.js";
import { createDaemonState } from "../../daemon/state/daemon-state.js";
import { createMemoryStore } from "../../memory/memory-store.js";
import { runDream } from "../../memory/run-dream.js";
import { startMessagesApiServer, toolUse } from "../../test/support/messages-api-server.js";
import { measure, type BenchFigure } from "./measure.js";

const TOPICS = 150;

/**
 * A dream's own overhead around the model: staging copy, fork, IPC, read-only search database,
 * validation and swap, over a 150-topic memory, with a model that rewrites one topic and stops
 * (two loopback round trips).
 */
export async function benchDream(): Promise<BenchFigure[]> {
  const server = await startMessagesApiServer();
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  const env = { ...process.env, VIGIL_HOME: home, ANTHROPIC_API_KEY: "sk-bench", ANTHROPIC_BASE_URL: server.url, VIGIL_LOG_LEVEL: "silent" };
  const ctx = openContext({ env, logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  const store = createMemoryStore(ctx.paths.memoryDir);
  for (let i = 0; i < TOPICS; i++) store.write({ topic: `topic-${i}`, title: `Fact ${i}`, hook: `what was decided about area ${i}`, type: "project", content: `Details of area ${i}.\n`.repeat(20) });
  const deps = { ctx, usage: createUsageLedger(ctx.db), state: createDaemonState(ctx.db) };
  let run = 0;
  const figure = await measure(`dream over a ${TOPICS}-topic memory: fork to swapped in (2 model round trips)`, "ms", 5, async () => {
    server.script(toolUse("memory_write", { topic: "topic-0", title: "Fact 0", hook: `rewritten ${run++}`, type: "project", content: "merged" }), { kind: "message", content: [{ type: "text", text: "done" }] });
    const start = process.hrtime.bigint();
    const result = await runDream(deps, { force: true });
    if (result.outcome !== "dreamed") throw new Error(`dream ${result.outcome}: ${"reason" in result ? result.reason : ""}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  ctx.close();
  await server.close();
  rmSync(home, { recursive: true, force: true });
  return [figure];
}
