import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { openContext } from "../../daemon/context/open-context.js";
import { createGithubPoller } from "../../daemon/github/github-poller.js";
import { createMcpHub } from "../../daemon/mcp/mcp-hub.js";
import { assembleRuntime } from "../../daemon/supervisor/assemble-runtime.js";
import { makePull, startGithubApiServer } from "../../test/support/github-api-server.js";
import { measure, type BenchFigure } from "./measure.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const TEST_SERVER = path.join(ROOT, "test/support/mcp-test-server.mjs");
const CALLS = 400;
const TOKEN = "ghp_testtoken0123456789abcdefghijklmn";
const silent = () => new Writable({ write: (_c, _e, done) => done() });

/**
 * Reach: an MCP tool call through Vigil (hub, tool wrapper, fence) against the bare SDK client's
 * stdio round trip to the same server, run side by side; and a full idle poll of 20 followed PRs
 * in 4 repositories, counting requests and the rate-limit points they spent (a 304 spends none).
 */
export async function benchReach(): Promise<BenchFigure[]> {
  return [...(await _benchMcp()), ...(await _benchIdlePoll())];
}

async function _benchMcp(): Promise<BenchFigure[]> {
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  const ctx = openContext({ env: { ...process.env, VIGIL_HOME: home, VIGIL_LOG_LEVEL: "silent" }, logDestination: silent() });
  const hub = createMcpHub({ config: { servers: { bench: { command: process.execPath, args: [TEST_SERVER], env: {} } }, callTimeoutSeconds: 30 }, env: process.env, journal: ctx.journal, logger: ctx.logger, now: () => new Date() });
  const bare = new Client({ name: "bench", version: "1" });
  await bare.connect(new StdioClientTransport({ command: process.execPath, args: [TEST_SERVER], stderr: "ignore" }));
  try {
    hub.start();
    await hub.settled(30_000);
    const tool = hub.tools().find((candidate) => candidate.name === "bench__echo")!;
    const context = { turnId: "bench", now: new Date(), timeZone: "UTC" };
    const timed = async (call: () => Promise<unknown>) => {
      const started = process.hrtime.bigint();
      await call();
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    // Interleaved, so both see the same machine load.
    const viaVigil: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      direct.push(await timed(() => bare.callTool({ name: "echo", arguments: { text: `ping ${i}` } })));
      viaVigil.push(await timed(async () => tool.run({ text: `ping ${i}` }, context)));
    }
    const vigil = await measure("MCP tool call through Vigil (stdio, echo)", "ms", CALLS, () => viaVigil.shift()!);
    const raw = await measure("same call, bare SDK client (the stdio round trip)", "ms", CALLS, () => direct.shift()!);
    return [vigil, raw, { name: "MCP overhead over the stdio round trip (median difference)", unit: "ms", median: vigil.median - raw.median, min: vigil.min - raw.min, max: vigil.max - raw.max, runs: CALLS }];
  } finally {
    await bare.close();
    await hub.stop();
    ctx.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function _benchIdlePoll(): Promise<BenchFigure[]> {
  const api = await startGithubApiServer();
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  let clock = Date.parse("2026-11-20T12:00:00Z");
  const env = { ...process.env, VIGIL_HOME: home, VIGIL_LOG_LEVEL: "silent", GITHUB_TOKEN: TOKEN };
  writeFileSync(path.join(home, "config.yaml"), `github: { apiBaseUrl: "${api.url}" }\n`);
  const ctx = openContext({ env, now: () => new Date(clock), logDestination: silent() });
  try {
    const runtime = assembleRuntime(ctx, { client: undefined, notifier: { send: async () => ({ delivered: [], failures: [] }) } });
    for (let repo = 0; repo < 4; repo++) {
      for (let number = 1; number <= 5; number++) {
        const name = `octo/repo-${repo}`;
        api.pulls.set(`${name}#${number}`, makePull(name, number, `sha-${repo}-${number}`));
        api.checkRuns.set(`sha-${repo}-${number}`, [{ id: repo * 10 + number, name: "test", status: "completed", conclusion: "success" }]);
        runtime.subscriptions.add({ repo: name, number }, "cli", new Date(clock));
      }
    }
    const poller = createGithubPoller({ ...ctx, store: runtime.store, github: runtime.github, subscriptions: runtime.subscriptions, intervalSeconds: 60 });
    await poller.pollOnce(); // first sight: PRs opened, checks read
    clock += 2 * 60 * 60_000; // two hours on: the heads are no longer new, their checks settled
    await poller.pollOnce();
    let spent = 0;
    const figure = await measure("idle poll of 20 followed PRs in 4 repositories: requests", "requests", 9, async () => {
      const before = api.requests.length;
      const report = await poller.pollOnce();
      spent = Math.max(spent, report.requests - report.notModified);
      return api.requests.length - before;
    });
    // Every tenth cycle also re-reads settled heads' checks (a re-run after red): that is the max.
    const perRepo = (count: number) => (count - 1) / 4;
    return [
      figure,
      { name: "idle poll of 20 followed PRs: rate-limit points spent (non-304 answers, worst run)", unit: "points", median: spent, min: spent, max: spent, runs: 9 },
      { name: "idle poll: requests per repository (+1 Notifications API call shared)", unit: "requests", median: perRepo(figure.median), min: perRepo(figure.min), max: perRepo(figure.max), runs: 9 },
    ];
  } finally {
    ctx.close();
    await api.close();
    rmSync(home, { recursive: true, force: true });
  }
}
