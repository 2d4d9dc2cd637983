import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { createAnthropicClient } from "../../daemon/brain/model-client.js";
import { openContext } from "../../daemon/context/open-context.js";
import { createJournalOnlyNotifier } from "../../daemon/notify/notifier.js";
import { assembleRuntime } from "../../daemon/supervisor/assemble-runtime.js";
import { createSupervisor } from "../../daemon/supervisor/supervisor.js";
import { startMessagesApiServer } from "../../test/support/messages-api-server.js";
import { measure, type BenchFigure } from "./measure.js";
import { costUsd, PRICE_PER_MTOK } from "./price-table.js";

const VIGIL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../daemon/cli/main.js");
const DAY_MS = 86_400_000;

/** A whole day at default settings (no config file), ticked every 5 s on a simulated clock. */
async function _idleDay() {
  let now = Date.parse("2026-11-23T00:00:00Z");
  const server = await startMessagesApiServer({ now: () => now });
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
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
  const usage = runtime.turn.usage.forDay("2026-11-23");
  ctx.close();
  await server.close();
  rmSync(home, { recursive: true, force: true });
  return usage;
}

/** From an event's arrival in the queue (a `vigil tell`) to the model request, with the settle window set to 0. */
async function _tellLatencies(samples: number): Promise<number[]> {
  const latencies: number[] = [];
  const server = await startMessagesApiServer({
    fallback: (request) => {
      // The prompt states when the event entered the queue: that is its arrival.
      const receivedAt = /user\/message at (\S+Z)/.exec(JSON.stringify(request.body.messages))![1]!;
      latencies.push(Date.now() - Date.parse(receivedAt));
      return { kind: "message", content: [{ type: "tool_use", name: "stay_quiet", input: { reason: "bench" } }] };
    },
  });
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  writeFileSync(path.join(home, "config.yaml"), "heartbeat: { settleMs: 0, idleWakeMinutes: 0, quietHours: null }\n");
  const env = { ...process.env, VIGIL_HOME: home, ANTHROPIC_API_KEY: "sk-bench", ANTHROPIC_BASE_URL: server.url, VIGIL_LOG_LEVEL: "silent" };
  const daemon = spawn(process.execPath, [VIGIL_BIN, "start"], { env, stdio: "ignore" });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (let i = 0; i < samples; i++) {
    await _run([VIGIL_BIN, "tell", `sample ${i}`], env);
    while (latencies.length <= i) await new Promise((resolve) => setTimeout(resolve, 5));
    // Land the next event at a random phase of the 5 s tick.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5000));
  }
  daemon.kill("SIGTERM");
  await server.close();
  rmSync(home, { recursive: true, force: true });
  return latencies;
}

function _run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve) => spawn(process.execPath, args, { env, stdio: "ignore" }).on("exit", () => resolve()));
}

function _percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchHeartbeat(): Promise<BenchFigure[]> {
  const day = await _idleDay();
  const fresh = { ...day, input: day.input + day.cacheRead + day.cacheWrite, cacheRead: 0, cacheWrite: 0 };
  const prices = `$/MTok in ${PRICE_PER_MTOK.input}, out ${PRICE_PER_MTOK.output}, 1h cache write ${PRICE_PER_MTOK.cacheWrite1h}, read ${PRICE_PER_MTOK.cacheRead}`;
  const once = (name: string, unit: string, value: number): BenchFigure => ({ name, unit, median: value, min: value, max: value, runs: 1 });
  const figures = [
    once("idle day (defaults): model calls", "calls", day.calls),
    once("idle day: fresh input tokens", "tokens", day.input),
    once("idle day: cache write tokens", "tokens", day.cacheWrite),
    once("idle day: cache read tokens", "tokens", day.cacheRead),
    once("idle day: output tokens", "tokens", day.output),
    once(`idle day: cost (${prices})`, "USD", costUsd(day)),
    once("idle day: cost if nothing were cached", "USD", costUsd(fresh)),
  ];
  const latencies = await _tellLatencies(15);
  const p50 = await measure("vigil tell → model request, p50 (5 s tick, settle 0)", "ms", 1, () => _percentile(latencies, 50));
  const p99 = await measure("vigil tell → model request, p99 (5 s tick, settle 0)", "ms", 1, () => _percentile(latencies, 99));
  return [...figures, { ...p50, min: Math.min(...latencies), max: Math.max(...latencies), runs: latencies.length }, { ...p99, min: Math.min(...latencies), max: Math.max(...latencies), runs: latencies.length }];
}
