import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Webhooks } from "@octokit/webhooks";
import { describe, expect, it } from "vitest";
import { cleanEnv, spawnVigil, waitFor } from "../support/run-vigil.js";

const SECRET = "garbage-test-secret";
const REQUESTS = 10_000;

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
}

/** A deterministic stream of bad requests: the seed makes a failure reproducible. */
function* garbage(seed: number) {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const validBody = JSON.stringify({ action: "opened", pull_request: { number: 1 }, repository: { full_name: "octo/app" } });
  for (let i = 0; i < REQUESTS; i++) {
    const kind = Math.floor(random() * 6);
    const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": `g-${i}` };
    let body = validBody;
    if (kind === 0) headers["x-hub-signature-256"] = `sha256=${"0".repeat(64)}`; // wrong signature
    if (kind === 1) delete headers["x-github-event"]; // missing headers, no signature
    if (kind === 2) headers["content-type"] = ["text/plain", "application/x-www-form-urlencoded", ""][i % 3]!;
    if (kind === 3) body = "{".repeat(1 + Math.floor(random() * 100)); // broken JSON, unsigned
    if (kind === 4) body = i % 50 === 0 ? "x".repeat(1024 * 1024 + 10) : "[]"; // huge, or not an object
    if (kind === 5) body = Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))).toString("latin1"); // noise
    yield { headers, body, sign: kind === 4 && i % 50 !== 0 };
  }
}

function send(agent: Agent, url: URL, item: { headers: Record<string, string>; body: string }): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", agent, headers: item.headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(-1)); // the server may cut an oversize upload short: that is fine
    req.end(item.body);
  });
}

describe("fault: 10,000 random and malformed webhook requests", () => {
  it("no crash, no event, memory back near its baseline", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "vigil-faults-"));
    writeFileSync(path.join(home, "config.yaml"), `server: { port: 0 }\nheartbeat: { tickSeconds: 3600 }\ngithub: { webhooks: { enabled: true, secret: env:HOOK }, subscriptions: ["octo/app"] }\n`);
    const daemon = spawnVigil(["start"], cleanEnv(home, { HOOK: SECRET, VIGIL_LOG_LEVEL: "error" }));
    try {
      const base = (await waitFor(() => /http: listening on (\S+)/.exec(daemon.output().stderr)?.[1], 15_000, "the HTTP server"))!;
      const url = new URL(`${base}/webhooks/github`);
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      const signer = new Webhooks({ secret: SECRET });
      // Warm up with a few bad requests, then take the baseline.
      for (let i = 0; i < 200; i++) await send(agent, url, { headers: { "content-type": "application/json" }, body: "{}" });
      const baseline = rssMiB(daemon.child.pid!);
      const statuses = new Map<number, number>();
      const items = [...garbage(7)];
      for (const item of items.filter((entry) => entry.sign)) item.headers["x-hub-signature-256"] = await signer.sign(item.body);
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < items.length) {
            const status = await send(agent, url, items[next++]!);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
        }),
      );
      agent.destroy();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const after = rssMiB(daemon.child.pid!);
      const health = await fetch(`${base}/healthz`);
      const db = new Database(path.join(home, "vigil.db"), { readonly: true });
      const events = db.prepare("SELECT count(*) FROM events").pluck().get() as number;
      db.close();
      console.log(`webhook garbage: ${REQUESTS} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, events ${events}, rss ${baseline.toFixed(1)} → ${after.toFixed(1)} MiB`);
      expect(health.status).toBe(200);
      expect(events).toBe(0);
      expect([...statuses.keys()].every((status) => [400, 401, 413, 415, -1].includes(status))).toBe(true);
      expect(after).toBeLessThan(baseline * 1.5 + 32);
    } finally {
      daemon.child.kill("SIGTERM");
      await daemon.exited;
      rmSync(home, { recursive: true, force: true });
    }
  });
});
