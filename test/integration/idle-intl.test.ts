import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startMessagesApiServer, toolUse, type MessagesApiServer } from "../support/messages-api-server.js";
import { cleanEnv, ROOT, runVigil, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

// Defaults but a fast tick (so the test sees many) and no desktop channel; one cron wake-up of the user's.
const CONFIG = `heartbeat: { tickSeconds: 0.2 }\nserver: { port: 0 }\nnotify: { desktop: false }\nschedules:\n  - { cron: "0 9 * * 1-5", prompt: "standup notes" }\n`;

let server: MessagesApiServer | undefined;
const daemons: RunningVigil[] = [];
afterEach(async () => {
  for (const daemon of daemons.splice(0)) daemon.child.kill("SIGKILL");
  await server?.close();
});

/** Runs the daemon under the load probe (test/support/load-probe.mjs) until `during` is done, then stops it. */
async function runProbed(env: NodeJS.ProcessEnv, probe: string, during: () => Promise<void>): Promise<string> {
  rmSync(probe, { force: true });
  const daemon = spawnVigil(["start"], { ...env, NODE_OPTIONS: `--import ${path.join(ROOT, "test/support/load-probe.mjs")}`, VIGIL_LOAD_PROBE: probe });
  daemons.push(daemon);
  await waitFor(() => daemon.output().stderr.includes("provider: anthropic"), 15_000, "daemon start");
  await during();
  daemon.child.kill("SIGTERM");
  expect(await daemon.exited).toBe(0);
  return readFileSync(probe, "utf8");
}

describe("an idle daemon with no zone configured", () => {
  it("never sets up Intl's date formatting (ICU, ~8 MiB) before its first model call", async () => {
    server = await startMessagesApiServer();
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), CONFIG);
    const env = cleanEnv(home, { ANTHROPIC_API_KEY: "sk-test-loopback", ANTHROPIC_BASE_URL: server.url, TZ: "Europe/Berlin" });
    const probe = path.join(home, "probe.txt");

    // Ticks run the wake-ups, the morning review, dream and anchor schedules, quiet hours and the idle gate.
    const idle = await runProbed(env, probe, async () => {
      await waitFor(() => JSON.parse(runVigil(["status", "--json"], env).stdout).lastTickAt, 15_000, "a tick");
      await new Promise((resolve) => setTimeout(resolve, 1500));
    });
    expect(server.requests).toHaveLength(0);
    expect(idle).toContain("\nintl 0\n");

    // The first model call names the zone (the prompt's local time): the probe does see Intl then.
    server.script(toolUse("stay_quiet", { reason: "nothing to do" }));
    const busy = await runProbed(env, probe, async () => {
      expect(runVigil(["tell", "hello"], env).code).toBe(0);
      await waitFor(() => server!.requests.length > 0, 15_000, "a model call");
    });
    expect(busy).not.toContain("\nintl 0\n");
    expect(JSON.stringify(server.requests.at(-1)!.body)).toContain("Europe/Berlin");
  });
});
