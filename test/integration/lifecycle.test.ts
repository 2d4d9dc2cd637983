import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isProcessAlive, readInstanceLock } from "../../daemon/locks/instance-lock.js";
import { startMessagesApiServer, text, toolUse, type MessagesApiServer } from "../support/messages-api-server.js";
import { cleanEnv, runVigil, runVigilAsync, spawnVigil, waitFor } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

const CONFIG = `heartbeat: { tickSeconds: 0.2, idleWakeMinutes: 0, settleMs: 100, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\n`;

let server: MessagesApiServer;
const pids: number[] = [];
afterEach(async () => {
  for (const pid of pids.splice(0)) if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
  await server?.close();
});

describe("lifecycle verbs without a service manager: signals to the pid in run/vigil.lock", () => {
  it("tell --wait prints the decision; reload says what it did; restart and stop; tell with no daemon says it waits", async () => {
    server = await startMessagesApiServer();
    const home = makeTempHome();
    const config = path.join(home, "config.yaml");
    writeFileSync(config, CONFIG);
    const env = cleanEnv(home, { ANTHROPIC_API_KEY: "sk-test-loopback", ANTHROPIC_BASE_URL: server.url });
    const first = spawnVigil(["start"], env);
    pids.push(first.child.pid!);
    await waitFor(() => first.output().stderr.includes("key check:"), 15_000, "daemon start");

    server.script(toolUse("stay_quiet", { reason: "heard you; nothing to do yet" }));
    const quiet = await runVigilAsync(["tell", "--wait", "hello there"], env);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/queued event 1\nstayed quiet: heard you; nothing to do yet\n/);
    server.script(toolUse("notify", { title: "Plants", body: "water them" }), text("I reminded you about the plants."));
    const acted = await runVigilAsync(["tell", "--wait", "remind me about the plants"], env);
    expect(acted.stdout).toContain("acted (notify): I reminded you about the plants.");

    const reload = await runVigilAsync(["reload"], env);
    expect(reload).toMatchObject({ code: 0, stdout: expect.stringContaining("config reloaded") });
    writeFileSync(config, "watch: {\n");
    const broken = await runVigilAsync(["reload"], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("config reload failed, keeping the running config");
    writeFileSync(config, CONFIG);

    const restart = await runVigilAsync(["restart"], env);
    expect(restart.code).toBe(0);
    expect(restart.stdout).toContain(`stopped vigil (pid ${first.child.pid})`);
    expect(await first.exited).toBe(0);
    const second = readInstanceLock(path.join(home, "run", "vigil.lock"))!.pid;
    pids.push(second);
    expect(second).not.toBe(first.child.pid);
    expect(restart.stdout).toContain(`started vigil (pid ${second}); its output goes to ${path.join(home, "run", "daemon.log")}`);
    expect((await runVigilAsync(["status"], env)).code).toBe(0);

    const stop = await runVigilAsync(["stop"], env);
    expect(stop).toMatchObject({ code: 0, stdout: `stopped vigil (pid ${second})\n` });
    expect(isProcessAlive(second)).toBe(false);
    expect(runVigil(["stop"], env)).toMatchObject({ code: 0, stdout: "vigil is not running\n" });
    expect(runVigil(["reload"], env).code).toBe(1);

    const queued = runVigil(["tell", "are you there?"], env);
    expect(queued).toMatchObject({ code: 0, stdout: "queued event 3; Vigil is not running: it will be looked at when Vigil starts (vigil start)\n" });
    expect(runVigil(["tell", "--wait", "still there?"], env).code).toBe(1);
  });
});
