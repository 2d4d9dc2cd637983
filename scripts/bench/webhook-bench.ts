import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request, Agent } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Webhooks } from "@octokit/webhooks";
import type { BenchFigure } from "./measure.js";

const VIGIL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../daemon/cli/main.cjs");
const SECRET = "bench-webhook-secret";
const REQUESTS = 6000;
const CONCURRENCY = 32;
const RUNS = 3;
const BARE_SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "bare-webhook-server.js");

/** One signed `pull_request_review` body per request, each a new review (a new event), pre-signed. */
async function _bodies(): Promise<Array<{ body: string; signature: string }>> {
  const webhooks = new Webhooks({ secret: SECRET });
  return Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const body = JSON.stringify({
        action: "submitted",
        review: { id: 1_000_000 + i, state: "commented", body: `looks fine ${i}`, user: { login: "reviewer" }, author_association: "MEMBER", html_url: "https://github.com/octo/app/pull/1" },
        pull_request: { number: 1, title: "bench", head: { sha: "abc" } },
        repository: { full_name: "octo/app" },
        sender: { login: "reviewer" },
      });
      return { body, signature: await webhooks.sign(body) };
    }),
  );
}

function _post(agent: Agent, url: URL, item: { body: string; signature: string }, delivery: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "x-github-event": "pull_request_review", "x-github-delivery": delivery, "x-hub-signature-256": item.signature } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode! >= 200 && res.statusCode! < 300 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(item.body);
  });
}

/** Drives `url` with every body over CONCURRENCY keep-alive connections; requests per second and each latency. */
async function _load(url: URL, bodies: ReadonlyArray<{ body: string; signature: string }>, label: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const i = next++;
        latencies.push(await _post(agent, url, bodies[i]!, `${label}-${i}`));
      }
    }),
  );
  const rate = bodies.length / (Number(process.hrtime.bigint() - started) / 1e9);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!;
  return { rate, p50: at(0.5), p99: at(0.99), min: latencies[0]!, max: latencies.at(-1)! };
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
 * fsync'd — before its 202), then the bare server under the same load from the same client.
 */
export async function benchWebhooks(): Promise<BenchFigure[]> {
  const bodies = await _bodies();
  const vigilRuns: Awaited<ReturnType<typeof _load>>[] = [];
  const bareRuns: Awaited<ReturnType<typeof _load>>[] = [];
  // Side by side, alternating, three times each: on a shared machine one run of either says little.
  for (let run = 0; run < RUNS; run++) {
    vigilRuns.push(await _loadVigil(bodies, run));
    const bareServer = await _spawnListening([BARE_SERVER, SECRET], process.env, /listening on (\S+)/);
    bareRuns.push(await _load(new URL(`${bareServer.url}/webhooks/github`), bodies, `bare${run}`));
    await bareServer.stop();
  }
  const vigil = _medianRun(vigilRuns);
  const bare = _medianRun(bareRuns);
  const once = (name: string, unit: string, value: number, extra: Partial<BenchFigure> = {}): BenchFigure => ({ name, unit, median: value, min: value, max: value, runs: RUNS, ...extra });
  const load = `${REQUESTS.toLocaleString("en-US")} requests, ${CONCURRENCY} keep-alive connections`;
  return [
    once(`webhooks: Vigil, signed requests per second (${load})`, "req/s", vigil.rate, _spread(vigilRuns)),
    once("webhooks: Vigil, latency to 202, p50", "ms", vigil.p50, { min: vigil.min, max: vigil.max, runs: REQUESTS }),
    once("webhooks: Vigil, latency to 202, p99", "ms", vigil.p99, { min: vigil.min, max: vigil.max, runs: REQUESTS }),
    once(`webhooks: bare Node server (HMAC + JSON.parse only), requests per second (${load})`, "req/s", bare.rate, _spread(bareRuns)),
    once("webhooks: bare Node server, latency p99", "ms", bare.p99, { min: bare.min, max: bare.max, runs: REQUESTS }),
    once("webhooks: Vigil's rate as a share of the bare server's (median run of each)", "%", (100 * vigil.rate) / bare.rate),
  ];
}

/** One daemon on a fresh home, loaded with every body. */
async function _loadVigil(bodies: ReadonlyArray<{ body: string; signature: string }>, run: number) {
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  writeFileSync(path.join(home, "config.yaml"), `heartbeat: { tickSeconds: 3600 }\nserver: { port: 0 }\ngithub: { webhooks: { enabled: true, secret: env:HOOK_SECRET }, subscriptions: ["octo/app"] }\n`);
  const daemon = await _spawnListening([VIGIL_BIN, "start"], { ...process.env, VIGIL_HOME: home, HOOK_SECRET: SECRET, VIGIL_LOG_LEVEL: "silent" }, /http: listening on (\S+)/);
  const result = await _load(new URL(`${daemon.url}/webhooks/github`), bodies, `vigil${run}`);
  await daemon.stop();
  rmSync(home, { recursive: true, force: true });
  return result;
}

/** The run with the median rate, its latencies with it. */
function _medianRun<T extends { rate: number }>(runs: readonly T[]): T {
  return [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)]!;
}

function _spread(runs: ReadonlyArray<{ rate: number }>): Partial<BenchFigure> {
  const rates = runs.map((run) => run.rate);
  return { min: Math.min(...rates), max: Math.max(...rates) };
}
