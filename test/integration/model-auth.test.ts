import { writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { startHarness } from "../support/daemon-harness.js";
import { startMessagesApiServer, type MessagesApiServer } from "../support/messages-api-server.js";
import { startNtfyRecorder, type NtfyRecorder } from "../support/ntfy-recorder.js";
import { cleanEnv, runVigil, runVigilAsync, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

let api: MessagesApiServer;
let ntfy: NtfyRecorder;
const daemons: RunningVigil[] = [];
afterEach(async () => {
  for (const daemon of daemons.splice(0)) daemon.child.kill("SIGKILL");
  await api?.close();
  await ntfy?.close();
});

const authRows = (env: NodeJS.ProcessEnv) =>
  runVigil(["log", "--json"], env)
    .stdout.split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.data?.event === "model-auth-failed");

async function startDaemon(env: NodeJS.ProcessEnv, expect: string): Promise<RunningVigil> {
  const daemon = spawnVigil(["start"], env);
  daemons.push(daemon);
  await waitFor(() => daemon.output().stderr.includes(expect), 15_000, expect);
  return daemon;
}

describe("a refused API key is not a transient failure", () => {
  it("the daemon starts, says the key was refused, journals and notifies once, calls no model until the key changes", async () => {
    api = await startMessagesApiServer();
    ntfy = await startNtfyRecorder();
    const home = makeTempHome();
    writeFileSync(
      path.join(home, "config.yaml"),
      `heartbeat: { tickSeconds: 0.1, idleWakeMinutes: 0, settleMs: 50, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false, ntfy: { server: "${ntfy.url}", topic: vigil-test } }\n`,
    );
    const env = cleanEnv(home, { ANTHROPIC_API_KEY: "sk-revoked-old", ANTHROPIC_BASE_URL: api.url });
    const daemon = await startDaemon(env, "key check:");
    expect(daemon.output().stderr).toContain("key check: the API refused the key (HTTP 401 authentication_error: invalid x-api-key); Vigil runs");

    expect(runVigil(["tell", "first"], env).code).toBe(0);
    expect(runVigil(["tell", "second"], env).code).toBe(0);
    await delay(1000); // ten ticks: room for a wrong retry to show up
    expect(api.refused).toEqual(["GET /v1/models?limit=1"]);
    expect(api.requests).toHaveLength(0);
    expect(authRows(env)).toHaveLength(1);
    expect(authRows(env)[0].summary).toContain("no model calls until the key changes: set a valid ANTHROPIC_API_KEY");
    await waitFor(() => ntfy.received.length === 1, 5000, "one notification");
    expect(ntfy.received[0]!.body.title).toBe("Vigil cannot use the model");

    const status = await runVigilAsync(["status", "--json"], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, pendingEvents: 2, modelBlocked: { status: 401 } });
    expect((await runVigilAsync(["status"], env)).stdout).toMatch(/model: +key refused since .*HTTP 401.*vigil reload/);
    const doctor = await runVigilAsync(["doctor"], env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain("FAIL model calls: paused since");

    // A reload asks again; still refused: no second row, no second notification.
    daemon.child.kill("SIGHUP");
    await waitFor(() => api.refused.length === 2, 5000, "the key asked about again");
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    // A restart with the same key: still blocked, still one row.
    const again = await startDaemon(env, "key check:");
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
    expect(authRows(env)).toHaveLength(1);
    expect(ntfy.received).toHaveLength(1);
    expect(api.requests).toHaveLength(0);

    // A new key lifts the block: the waiting events get their turn.
    const fixed = { ...env, ANTHROPIC_API_KEY: "sk-new-good" };
    const good = await startDaemon(fixed, "key check: the API accepted the key");
    await waitFor(() => api.requests.length === 1, 10_000, "a turn for the waiting events");
    await waitFor(() => JSON.parse(runVigil(["status", "--json"], fixed).stdout).pendingEvents === 0, 10_000, "events handled");
    expect(runVigil(["log", "--kind", "system"], fixed).stdout).toContain("model calls resume: the API accepts the key again");
    expect(JSON.parse(runVigil(["status", "--json"], fixed).stdout).modelBlocked).toBeNull();
    good.child.kill("SIGTERM");
    expect(await good.exited).toBe(0);
  });

  it("a 403 in the middle of a turn blocks the same way: one row, then no more calls", async () => {
    const h = await startHarness({ env: { ANTHROPIC_API_KEY: "sk-forbidden-org" } });
    h.notice({ summary: "look at this" });
    await h.ticks(2);
    h.notice({ summary: "and this" });
    await h.ticks(20, 60_000);
    expect(h.server.refused).toHaveLength(1);
    expect(h.server.refused[0]).toMatch(/^POST \/v1\/messages/);
    const rows = h.journal("error").filter((entry) => entry.data.event === "model-auth-failed");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.summary).toContain("HTTP 403 permission_error: this key may not use this organization");
    expect(h.ctx.events.countPending()).toBe(2);
  });
});
