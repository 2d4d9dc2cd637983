import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request, Agent } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prepareRequest, runKeepAliveLoad, type LoadResult } from "./keep-alive-load.js";
import type { BenchFigure } from "./measure.js";

const VIGIL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../daemon/cli/main.cjs");
const SECRET = "bench-webhook-secret";
const REQUESTS = 20_000;
/** Sent first and not measured, the same to both servers: what a server does in its first second (JIT, a thread starting) is not its rate. */
const WARM_UP = 3_000;
const CONCURRENCY = 32;
const RUNS = 3;
const BARE_SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "bare-webhook-server.js");

interface Signed {
  body: string;
  signature: string;
}

/** One signed `pull_request_review` per request, each a new review (a new event): `count` of them from review `first`. */
function _bodies(first: number, count: number): Signed[] {
  return Array.from({ length: count }, (_, i) => {
    const id = first + i;
    const body = JSON.stringify({
      action: "submitted",
      review: { id, state: "commented", body: `looks fine ${id}`, user: { login: "reviewer" }, author_association: "MEMBER", html_url: "https://github.com/octo/app/pull/1" },
      pull_request: { number: 1, title: "bench", head: { sha: "abc" } },
      repository: { full_name: "octo/app" },
      sender: { login: "reviewer" },
    });
    // What @octokit/webhooks' sign() computes, without its promise per body.
    return { body, signature: `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` };
  });
}

const _headers = (item: Signed, delivery: string) => ({ "content-type": "application/json", "x-github-event": "pull_request_review", "x-github-delivery": delivery, "x-hub-signature-256": item.signature });

/** The same load through node:http's client (keep-alive Agent), as the bench measured before it had a lean one. */
async function _nodeHttpLoad(url: URL, bodies: readonly Signed[], label: string): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const post = (item: Signed, delivery: string) =>
    new Promise<number>((resolve, reject) => {
      const sent = process.hrtime.bigint();
      const req = request(url, { method: "POST", agent, headers: _headers(item, delivery) }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode! >= 200 && res.statusCode! < 300 ? resolve(Number(process.hrtime.bigint() - sent) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(item.body);
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const i = next++;
        latencies.push(await post(bodies[i]!, `${label}-${i}`));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rate: bodies.length / seconds, latencies, clientMicros: (used.user + used.system) / bodies.length };
}

const _lean = (url: URL, bodies: readonly Signed[], label: string) =>
  runKeepAliveLoad(url, bodies.map((item, i) => prepareRequest(url, _headers(item, `${label}-${i}`), item.body)), CONCURRENCY);

interface ServerRun {
  lean: LoadResult;
  nodeHttp: LoadResult;
}

/** Warm-up, then the lean load, then node:http's: each with its own reviews, so none is a duplicate. */
async function _drive(url: URL, label: string, sets: { warm: Signed[]; lean: Signed[]; nodeHttp: Signed[] }): Promise<ServerRun> {
  await _lean(url, sets.warm, `${label}-warm`);
  const lean = await _lean(url, sets.lean, `${label}-lean`);
  const nodeHttp = await _nodeHttpLoad(url, sets.nodeHttp, `${label}-http`);
  return { lean, nodeHttp };
}

async function _spawnListening(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp) {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  while (!pattern.test(output)) {
    if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const stop = async () => {
    child.kill("SIGTERM");
    if (child.exitCode === null) await new Promise((resolve) => child.on("exit", resolve));
  };
  return { url: pattern.exec(output)![1]!, stop };
}

/**
 * Signed webhook intake, side by side with a bare Node server that only checks the HMAC and
 * parses the JSON: the real daemon process on loopback (each request a new subscribed
 * `pull_request_review`, verified, normalized and committed — delivery row, event, journal row,
 * fsync'd — before its 202), then the bare server under the same load from the same client,
 * alternating, three times. Each server is warmed up first, then loaded by the lean client (the
 * headline: it costs the machine less than the bare server does, so it measures the servers),
 * then by node:http's client (what the bench used before; it is the bottleneck for the bare
 * server on 2 cores, so that ratio flatters Vigil; kept for comparison).
 */
export async function benchWebhooks(): Promise<BenchFigure[]> {
  const sets = { warm: _bodies(1_000_000, WARM_UP), lean: _bodies(2_000_000, REQUESTS), nodeHttp: _bodies(3_000_000, REQUESTS) };
  const vigilRuns: ServerRun[] = [];
  const bareRuns: ServerRun[] = [];
  // Side by side, alternating, three times each: on a shared machine one run of either says little.
  for (let run = 0; run < RUNS; run++) {
    vigilRuns.push(await _withVigil((url) => _drive(url, `vigil${run}`, sets)));
    const bare = await _spawnListening([BARE_SERVER, SECRET], process.env, /listening on (\S+)/);
    bareRuns.push(await _drive(new URL(`${bare.url}/webhooks/github`), `bare${run}`, sets));
    await bare.stop();
  }
  const load = `${REQUESTS.toLocaleString("en-US")} requests after ${WARM_UP.toLocaleString("en-US")} to warm up, ${CONCURRENCY} keep-alive connections`;
  return [..._figures("lean client", load, vigilRuns.map((r) => r.lean), bareRuns.map((r) => r.lean)), ..._figures("node:http client", load, vigilRuns.map((r) => r.nodeHttp), bareRuns.map((r) => r.nodeHttp))];
}

function _figures(client: string, load: string, vigilRuns: LoadResult[], bareRuns: LoadResult[]): BenchFigure[] {
  const vigil = _medianRun(vigilRuns);
  const bare = _medianRun(bareRuns);
  const once = (name: string, unit: string, value: number, extra: Partial<BenchFigure> = {}): BenchFigure => ({ name, unit, median: value, min: value, max: value, runs: RUNS, ...extra });
  const latency = (run: LoadResult, p: number) => run.latencies[Math.min(run.latencies.length - 1, Math.ceil(p * run.latencies.length) - 1)]!;
  const spread = (run: LoadResult) => ({ min: run.latencies[0]!, max: run.latencies.at(-1)!, runs: run.latencies.length });
  return [
    once(`webhooks, ${client}: Vigil, signed requests per second (${load})`, "req/s", vigil.rate, _spread(vigilRuns)),
    once(`webhooks, ${client}: Vigil, latency to 202, p50`, "ms", latency(vigil, 0.5), spread(vigil)),
    once(`webhooks, ${client}: Vigil, latency to 202, p99`, "ms", latency(vigil, 0.99), spread(vigil)),
    once(`webhooks, ${client}: bare Node server (HMAC + JSON.parse only), requests per second`, "req/s", bare.rate, _spread(bareRuns)),
    once(`webhooks, ${client}: bare Node server, latency p99`, "ms", latency(bare, 0.99), spread(bare)),
    once(`webhooks, ${client}: Vigil's rate as a share of the bare server's (median run of each)`, "%", (100 * vigil.rate) / bare.rate),
    once(`webhooks, ${client}: the client's own CPU per request, loading the bare server`, "µs", bare.clientMicros),
  ];
}

/** One daemon on a fresh home, for the length of `work`. */
async function _withVigil<T>(work: (url: URL) => Promise<T>): Promise<T> {
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  writeFileSync(path.join(home, "config.yaml"), `heartbeat: { tickSeconds: 3600 }\nserver: { port: 0 }\ngithub: { webhooks: { enabled: true, secret: env:HOOK_SECRET }, subscriptions: ["octo/app"] }\n`);
  const daemon = await _spawnListening([VIGIL_BIN, "start"], { ...process.env, VIGIL_HOME: home, HOOK_SECRET: SECRET, VIGIL_LOG_LEVEL: "silent" }, /http: listening on (\S+)/);
  try {
    return await work(new URL(`${daemon.url}/webhooks/github`));
  } finally {
    await daemon.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

/** The run with the median rate, its latencies with it. */
function _medianRun<T extends { rate: number }>(runs: readonly T[]): T {
  return [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)]!;
}

function _spread(runs: ReadonlyArray<{ rate: number }>): Partial<BenchFigure> {
  const rates = runs.map((run) => run.rate);
  return { min: Math.min(...rates), max: Math.max(...rates) };
}
