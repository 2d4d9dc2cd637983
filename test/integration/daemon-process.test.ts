import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startMessagesApiServer, toolUse, type MessagesApiServer } from "../support/messages-api-server.js";
import { makeTempHome } from "../support/temp-home.js";
import { Webhooks } from "@octokit/webhooks";
import { githubExamples } from "../support/github-examples.js";
import { cleanEnv, runVigil, runVigilAsync, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";

// No desktop channel: the tests' machine has no notification server; notifications are journaled.
const FAST_CONFIG = `heartbeat: { tickSeconds: 0.1, idleWakeMinutes: 0, settleMs: 100, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\n`;

const EXAMPLE = githubExamples(["pull_request"]).find((example) => example.payload.action === "opened")!;

let server: MessagesApiServer;
const daemons: RunningVigil[] = [];
afterEach(async () => {
  for (const daemon of daemons.splice(0)) daemon.child.kill("SIGKILL");
  await server?.close();
});

async function setup(config = FAST_CONFIG) {
  server = await startMessagesApiServer();
  const home = makeTempHome();
  writeFileSync(path.join(home, "config.yaml"), config);
  const env = cleanEnv(home, { ANTHROPIC_API_KEY: "sk-test-loopback", ANTHROPIC_BASE_URL: server.url });
  return { home, env };
}

function start(env: NodeJS.ProcessEnv): RunningVigil {
  const daemon = spawnVigil(["start"], env);
  daemons.push(daemon);
  return daemon;
}

function journal(env: NodeJS.ProcessEnv): Array<{ kind: string; summary: string; data: Record<string, unknown> }> {
  return runVigil(["log", "--json"], env).stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

describe("the daemon as a process, with the real SDK against the loopback Messages API", () => {
  it("vigil start + vigil tell: one turn, a quiet row, a clean stop", async () => {
    const { env } = await setup();
    const daemon = start(env);
    await waitFor(() => daemon.output().stderr.includes("provider: anthropic"), 15_000, "daemon start");
    server.script(toolUse("stay_quiet", { reason: "heard you; nothing to do yet" }));
    expect(runVigil(["tell", "hello from the test"], env).code).toBe(0);
    await waitFor(() => journal(env).some((entry) => entry.kind === "quiet"), 15_000, "a quiet row");
    expect(server.requests).toHaveLength(1);
    // This SDK generation sends the API key as a bearer token.
    expect(server.requests[0]!.headers.authorization).toBe("Bearer sk-test-loopback");
    expect(server.requests[0]!.body.stream).toBe(true);
    const status = JSON.parse((await runVigilAsync(["status", "--json"], env)).stdout);
    expect(status).toMatchObject({ running: true, source: "healthz", pendingEvents: 0, lastTurn: { outcome: "quiet" }, tokensToday: { calls: 1 } });
    expect(status.tokensToday.total).toBeGreaterThan(0);
    expect(Date.parse(status.lastTickAt)).not.toBeNaN();
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    expect(journal(env).map((entry) => entry.kind)).toEqual(["system", "noticed", "quiet", "system"]);
  });

  it("an event is handled once settled, not a whole tick later: a signed webhook, a saved file, a `vigil tell`", async () => {
    const root = makeTempHome("vigil-watched-");
    const { env } = await setup(
      `heartbeat: { tickSeconds: 3600, idleWakeMinutes: 0, settleMs: 200, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\n` +
        `watch: [ { path: ${JSON.stringify(root)} } ]\ngithub: { webhooks: { enabled: true, secret: env:HOOK_SECRET }, subscriptions: ["${EXAMPLE.payload.repository.full_name}"] }\n`,
    );
    const daemon = start({ ...env, HOOK_SECRET: "nudge-secret" });
    await waitFor(() => /http: listening on (\S+)/.test(daemon.output().stderr) && daemon.output().stderr.includes("provider: anthropic"), 15_000, "daemon start");
    const url = `${/http: listening on (\S+)/.exec(daemon.output().stderr)![1]}/webhooks/github`;
    const body = JSON.stringify(EXAMPLE.payload);
    const signature = await new Webhooks({ secret: "nudge-secret" }).sign(body);
    const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "nudge-1", "x-hub-signature-256": signature } });
    expect(response.status).toBe(202);
    // With a one-hour tick, only the nudge can bring this request within the wait.
    await waitFor(() => server.requests.length === 1, 10_000, "a turn for the webhook");
    writeFileSync(path.join(root, "notes.txt"), "saved\n");
    await waitFor(() => server.requests.length === 2, 10_000, "a turn for the saved file");
    expect(JSON.stringify(server.requests[1]!.body.messages[0])).toContain("notes.txt created");
    // Another process: `vigil tell` nudges the daemon with SIGUSR2, which it survives.
    expect((await runVigilAsync(["tell", "are you there?"], { ...env, HOOK_SECRET: "nudge-secret" })).code).toBe(0);
    await waitFor(() => server.requests.length === 3, 10_000, "a turn for the tell");
    expect(daemon.child.exitCode).toBeNull();
  });

  it("vigil start --once runs one turn for what is pending and exits", async () => {
    const { env } = await setup();
    runVigil(["tell", "one"], env);
    runVigil(["tell", "two"], env);
    const once = await runVigilAsync(["start", "--once"], env);
    expect(once.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(journal(env).filter((entry) => entry.kind === "quiet")[0]!.data).toMatchObject({ events: 2 });
    expect((await runVigilAsync(["start", "--once"], env)).code).toBe(0);
    expect(server.requests).toHaveLength(1); // nothing pending: no call
  });

  it("SIGKILL in the middle of a turn: restart puts its events back and no action runs twice", async () => {
    const { env } = await setup();
    const notify = { title: "PR 12", body: "review requested" };
    server.script(toolUse("notify", notify), { kind: "hang" });
    const first = start(env);
    await waitFor(() => first.output().stderr.includes("running (pid"), 15_000, "daemon start");
    runVigil(["tell", "let me know about PR 12"], env);
    await waitFor(() => server.requests.length === 2, 15_000, "the turn's second model call");
    first.child.kill("SIGKILL");
    await first.exited;
    expect(runVigil(["status", "--json"], env).stdout).toContain('"pendingEvents":1');

    // The retried turn: the model asks for the same notification again, then stays quiet.
    server.script(toolUse("notify", notify), toolUse("stay_quiet", { reason: "done" }));
    const second = start(env);
    await waitFor(() => journal(env).some((entry) => entry.kind === "quiet"), 15_000, "the retried turn");
    second.child.kill("SIGTERM");
    await second.exited;

    const entries = journal(env);
    const delivered = entries.filter((entry) => entry.kind === "acted" && entry.data.tool === "notify" && entry.data.outcome === "ok");
    expect(delivered).toHaveLength(1);
    expect(entries.some((entry) => entry.kind === "acted" && entry.summary.includes("not repeated"))).toBe(true);
    expect(entries.some((entry) => entry.kind === "system" && entry.summary.includes("recovered 1 interrupted turn(s); 1 event(s) pending again"))).toBe(true);
    expect(JSON.parse(runVigil(["status", "--json"], env).stdout).pendingEvents).toBe(0);
    expect(runVigil(["log", "verify"], env).code).toBe(0);
  });

  it("SIGTERM in the middle of a turn: a prompt clean stop, no event lost, no action twice", async () => {
    const { env } = await setup();
    const notify = { title: "deploy", body: "finished" };
    server.script(toolUse("notify", notify), { kind: "hang" });
    const first = start(env);
    await waitFor(() => first.output().stderr.includes("running (pid"), 15_000, "daemon start");
    runVigil(["tell", "tell me when the deploy finishes"], env);
    await waitFor(() => server.requests.length === 2, 15_000, "the turn's second model call");
    const stopAsked = Date.now();
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(Date.now() - stopAsked).toBeLessThan(10_000); // well inside TimeoutStopSec=30
    expect(journal(env).at(-1)!.summary).toMatch(/^stopped vigil/);
    expect(JSON.parse(runVigil(["status", "--json"], env).stdout).pendingEvents).toBe(1);

    server.script(toolUse("notify", notify), toolUse("stay_quiet", { reason: "done" }));
    const second = start(env);
    await waitFor(() => journal(env).some((entry) => entry.kind === "quiet"), 15_000, "the retried turn");
    second.child.kill("SIGTERM");
    await second.exited;
    const delivered = journal(env).filter((entry) => entry.kind === "acted" && entry.data.tool === "notify" && entry.data.outcome === "ok");
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(runVigil(["status", "--json"], env).stdout).pendingEvents).toBe(0);
  });

  it("SIGHUP reloads the config without losing queued events; a broken file keeps the running config", async () => {
    // A long tick and settle window keep the two tells pending across both reloads.
    const { home, env } = await setup("heartbeat: { tickSeconds: 3600, settleMs: 600000 }\nserver: { port: 0 }\n");
    const daemon = start(env);
    await waitFor(() => daemon.output().stderr.includes("running (pid"), 15_000, "daemon start");
    runVigil(["tell", "one"], env);
    runVigil(["tell", "two"], env);
    writeFileSync(path.join(home, "config.yaml"), "heartbeat: { tickSeconds: [oops\n");
    daemon.child.kill("SIGHUP");
    // While config.yaml is broken, read the journal with a config of its own (none: defaults).
    const reader = { ...env, VIGIL_CONFIG: path.join(home, "absent.yaml") };
    await waitFor(() => journal(reader).some((entry) => entry.kind === "error"), 15_000, "the reload error");
    writeFileSync(path.join(home, "config.yaml"), "heartbeat: { tickSeconds: 3600, settleMs: 600000 }\nserver: { port: 0 }\nschedules: [ { cron: '0 9 * * *', prompt: standup } ]\n");
    daemon.child.kill("SIGHUP");
    await waitFor(() => journal(env).some((entry) => entry.summary.startsWith("config reloaded")), 15_000, "the reload");
    const status = JSON.parse((await runVigilAsync(["status", "--json"], env)).stdout);
    expect(status).toMatchObject({ running: true, pendingEvents: 2 });
    expect(status.nextRuns).toEqual([expect.objectContaining({ note: "standup", origin: "config" })]);
    expect(journal(env).find((entry) => entry.kind === "error")!.summary).toMatch(/config reload failed, keeping the running config/);
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
  });

  it("rules provider with no key: a matching event notifies, through the built binary", async () => {
    const { env } = await setup(`${FAST_CONFIG}rules: [ { when: { source: user, event: message }, do: notify } ]\n`);
    delete env.ANTHROPIC_API_KEY;
    runVigil(["tell", "ping"], env);
    const once = runVigil(["start", "--once"], env);
    expect(once.stderr).toContain("provider: rules");
    const acted = journal(env).filter((entry) => entry.kind === "acted");
    expect(acted).toHaveLength(1);
    expect(acted[0]!.data).toMatchObject({ tool: "notify", outcome: "ok" });
    expect(server.requests).toHaveLength(0);
  });

  it("model.provider anthropic with no key is a config error (exit 78)", async () => {
    const { env } = await setup("model: { provider: anthropic }\n");
    delete env.ANTHROPIC_API_KEY;
    const result = runVigil(["start"], env);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain("ANTHROPIC_API_KEY");
  });
});
