import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request, Agent } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Webhooks } from "@octokit/webhooks";
import { measure, type BenchFigure } from "./measure.js";

const VIGIL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../daemon/cli/main.js");
const SECRET = "bench-webhook-secret";
const REQUESTS = 3000;
const CONCURRENCY = 16;

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
      res.on("end", () => (res.statusCode === 202 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(item.body);
  });
}

/** Signed webhook intake against the real daemon process on loopback: requests per second and latency to 202. */
export async function benchWebhooks(): Promise<BenchFigure[]> {
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  writeFileSync(path.join(home, "config.yaml"), `heartbeat: { tickSeconds: 3600 }\nserver: { port: 0 }\ngithub: { webhooks: { enabled: true, secret: env:HOOK_SECRET }, subscriptions: ["octo/app"] }\n`);
  const daemon = spawn(process.execPath, [VIGIL_BIN, "start"], { env: { ...process.env, VIGIL_HOME: home, HOOK_SECRET: SECRET, VIGIL_LOG_LEVEL: "silent" }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  daemon.stderr!.on("data", (chunk) => (stderr += chunk));
  while (!/http: listening on (\S+)/.test(stderr)) await new Promise((resolve) => setTimeout(resolve, 20));
  const url = new URL(`${/http: listening on (\S+)/.exec(stderr)![1]}/webhooks/github`);
  const bodies = await _bodies();
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        latencies.push(await _post(agent, url, bodies[i]!, `bench-${i}`));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  daemon.kill("SIGTERM");
  await new Promise((resolve) => daemon.on("exit", resolve));
  rmSync(home, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!;
  const once = (name: string, unit: string, value: number): BenchFigure => ({ name, unit, median: value, min: value, max: value, runs: 1 });
  return [
    once(`webhooks: signed requests per second (${REQUESTS} requests, ${CONCURRENCY} connections)`, "req/s", REQUESTS / seconds),
    { ...(await measure("webhooks: latency to 202, p50", "ms", 1, () => at(0.5))), min: latencies[0]!, max: latencies.at(-1)!, runs: REQUESTS },
    { ...(await measure("webhooks: latency to 202, p99", "ms", 1, () => at(0.99))), min: latencies[0]!, max: latencies.at(-1)!, runs: REQUESTS },
  ];
}
