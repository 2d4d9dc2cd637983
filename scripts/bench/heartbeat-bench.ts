import { mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { createAnthropicClient } from "../../daemon/brain/model-client.js";
import { openContext } from "../../daemon/context/open-context.js";
import { createJournalOnlyNotifier } from "../../daemon/notify/notifier.js";
import { assembleRuntime } from "../../daemon/supervisor/assemble-runtime.js";
import { createSupervisor } from "../../daemon/supervisor/supervisor.js";
import { startMessagesApiServer } from "../../test/support/messages-api-server.js";
import type { BenchFigure } from "./measure.js";
import { createMemoryStore } from "../../memory/memory-store.js";
import { costUsd, PRICE_PER_MTOK, tokenEquivalents, TRIAGE_PRICE_PER_MTOK } from "./price-table.js";
import { text, toolUse } from "../../test/support/messages-api-server.js";
import { addUsage, NO_USAGE } from "../../daemon/brain/usage-ledger.js";

const DAY_MS = 86_400_000;

/**
 * A whole day at default settings (no config file), ticked every 5 s on a simulated clock; with
 * `memoryTopics`, a memory index of that many lines rides in the prompt's cached front. The topics
 * have mixed ages (last written at every hour of the past weeks), so each carries an age mark, as
 * a lived-in memory does: the figure counts whatever cache rewrites those marks cause.
 */
async function _idleDay(memoryTopics = 0) {
  let now = Date.parse("2026-11-23T00:00:00Z");
  // A quiet world: the triage model (asked without tools) says "no", the main model stays quiet.
  const server = await startMessagesApiServer({ now: () => now, fallback: (request) => (request.body.tools ? toolUse("stay_quiet", { reason: "nothing to do" }) : text("no")) });
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  const store = createMemoryStore(path.join(home, "memory"));
  for (let i = 0; i < memoryTopics; i++) {
    store.write({ topic: `topic-${i}`, title: `Project fact ${i}`, hook: `what the user decided about area ${i} of the app, and why it matters`, type: "project", content: "details" });
    const written = new Date(now - (i * 7 + 3) * 3600_000);
    utimesSync(path.join(home, "memory", "topics", `topic-${i}.md`), written, written);
  }
  const env = { VIGIL_HOME: home, ANTHROPIC_API_KEY: "sk-bench", ANTHROPIC_BASE_URL: server.url, TZ: "UTC" };
  const ctx = openContext({ env, now: () => new Date(now), logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  const runtime = assembleRuntime(ctx, { client: createAnthropicClient({ env }), notifier: createJournalOnlyNotifier() });
  const supervisor = createSupervisor(runtime, "anthropic");
  const tickMs = ctx.loaded.config.heartbeat.tickSeconds * 1000;
  const start = now;
  while (now < start + DAY_MS) {
    now += tickMs;
    await supervisor.tick();
    await supervisor.idle();
  }
  const byModel = runtime.turn.usage.byModel(["2026-11-23"]);
  const triageModel = "claude-haiku-5-5";
  const usage = byModel.reduce((sum, row) => addUsage(sum, row), NO_USAGE);
  const cost = byModel.reduce((sum, row) => sum + costUsd(row, row.model === triageModel ? TRIAGE_PRICE_PER_MTOK : PRICE_PER_MTOK), 0);
  const triageCalls = byModel.find((row) => row.model === triageModel)?.calls ?? 0;
  ctx.close();
  await server.close();
  rmSync(home, { recursive: true, force: true });
  return { ...usage, cost, triageCalls };
}

export async function benchHeartbeat(): Promise<BenchFigure[]> {
  const priced = (p: typeof PRICE_PER_MTOK | typeof TRIAGE_PRICE_PER_MTOK) => `in ${p.input}, out ${p.output}, 1h cache write ${p.cacheWrite1h}, read ${p.cacheRead}`;
  const prices = `$/MTok main ${priced(PRICE_PER_MTOK)}; triage ${priced(TRIAGE_PRICE_PER_MTOK)}`;
  const once = (name: string, unit: string, value: number): BenchFigure => ({ name, unit, median: value, min: value, max: value, runs: 1 });
  const figures: BenchFigure[] = [];
  for (const [label, topics] of [["idle day", 0], ["idle day, 150-line memory index", 150]] as const) {
    const day = await _idleDay(topics);
    const fresh = { ...day, input: day.input + day.cacheRead + day.cacheWrite, cacheRead: 0, cacheWrite: 0 };
    figures.push(
      once(`${label}: model calls`, "calls", day.calls),
      once(`${label}: of them to the triage model`, "calls", day.triageCalls),
      once(`${label}: fresh input tokens`, "tokens", day.input),
      once(`${label}: cache write tokens`, "tokens", day.cacheWrite),
      once(`${label}: cache read tokens`, "tokens", day.cacheRead),
      once(`${label}: output tokens`, "tokens", day.output),
      once(`${label}: cost (${prices})`, "USD", day.cost),
      once(`${label}: token-equivalents (cost in fresh main-model input tokens)`, "tokens", tokenEquivalents(day.cost)),
      once(`${label}: cost if nothing were cached, at main-model prices`, "USD", costUsd(fresh)),
    );
  }
  return figures;
}
