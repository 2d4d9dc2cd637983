import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Webhooks } from "@octokit/webhooks";
import { startMessagesApiServer } from "../../test/support/messages-api-server.js";
import type { BenchFigure } from "./measure.js";

const VIGIL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../daemon/cli/main.cjs");
const SECRET = "bench-latency-secret";
const SAMPLES = 15;
const TICK_MS = 5000;

type Source = "tell" | "file" | "webhook";

/**
 * From an event's cause to the model request, on one real daemon at the default 5 s tick with the
 * settle window set to 0: `vigil tell` (another process: seen on the next tick), a saved file
 * (includes chokidar's write-finish wait and the 1 s per-path coalescing), and a signed webhook
 * (timed from the POST). Causes land at random phases of the tick.
 */
export async function benchEventLatency(): Promise<BenchFigure[]> {
  const requestsAt: number[] = [];
  const server = await startMessagesApiServer({
    fallback: () => {
      requestsAt.push(Date.now());
      return { kind: "message", content: [{ type: "tool_use", name: "stay_quiet", input: { reason: "bench" } }] };
    },
  });
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  // Outside VIGIL_HOME, which the watcher ignores.
  const root = mkdtempSync(path.join(tmpdir(), "vigil-bench-watched-"));
  writeFileSync(
    path.join(home, "config.yaml"),
    `heartbeat: { settleMs: 0, idleWakeMinutes: 0, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\nwatch: [ { path: ${JSON.stringify(root)} } ]\n` +
      `github: { webhooks: { enabled: true, secret: env:HOOK_SECRET }, subscriptions: ["octo/app"] }\n`,
  );
  const env = { ...process.env, VIGIL_HOME: home, HOOK_SECRET: SECRET, ANTHROPIC_API_KEY: "sk-bench", ANTHROPIC_BASE_URL: server.url, VIGIL_LOG_LEVEL: "silent" };
  const daemon = spawn(process.execPath, [VIGIL_BIN, "start"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  daemon.stderr!.on("data", (chunk) => (stderr += chunk));
  while (!/http: listening on (\S+)/.test(stderr)) await _sleep(20);
  const hookUrl = `${/http: listening on (\S+)/.exec(stderr)![1]}/webhooks/github`;
  await _sleep(1500); // the watcher is ready and the first tick is done
  const causes: Record<Source, (i: number) => Promise<void>> = {
    tell: (i) => _run([VIGIL_BIN, "tell", `sample ${i}`], env),
    file: async (i) => writeFileSync(path.join(root, `sample-${i}.txt`), `sample ${i}\n`),
    webhook: (i) => _postReview(hookUrl, i),
  };
  const figures: BenchFigure[] = [];
  for (const source of ["tell", "file", "webhook"] as const) {
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await _sleep(Math.random() * TICK_MS);
      const seen = requestsAt.length;
      const started = Date.now();
      await causes[source](i);
      const deadline = Date.now() + 30_000;
      while (requestsAt.length === seen) {
        if (Date.now() > deadline) throw new Error(`no model request within 30 s of a ${source} event`);
        await _sleep(2);
      }
      latencies.push(requestsAt[seen]! - started);
    }
    figures.push(_percentileFigure(`${_label(source)} → model request, p50`, latencies, 50), _percentileFigure(`${_label(source)} → model request, p99`, latencies, 99));
  }
  daemon.kill("SIGTERM");
  await new Promise((resolve) => daemon.once("exit", resolve));
  await server.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
  return figures;
}

function _label(source: Source): string {
  return { tell: "vigil tell (5 s tick, settle 0)", file: "file write (settle 0)", webhook: "signed webhook (settle 0)" }[source];
}

async function _postReview(url: string, i: number): Promise<void> {
  const body = JSON.stringify({
    action: "submitted",
    review: { id: 5_000_000 + i, state: "commented", body: `latency ${i}`, user: { login: "reviewer" }, author_association: "MEMBER", html_url: "https://github.com/octo/app/pull/1" },
    pull_request: { number: 1, title: "bench", head: { sha: "abc" } },
    repository: { full_name: "octo/app" },
    sender: { login: "reviewer" },
  });
  const signature = await new Webhooks({ secret: SECRET }).sign(body);
  const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", "x-github-event": "pull_request_review", "x-github-delivery": `latency-${i}`, "x-hub-signature-256": signature } });
  if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
}

function _percentileFigure(name: string, values: number[], p: number): BenchFigure {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { name, unit: "ms", median: value, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}

function _run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve) => spawn(process.execPath, args, { env, stdio: "ignore" }).on("exit", () => resolve()));
}

function _sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
