import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFallbackNotifier } from "../../daemon/notify/create-notifier.js";
import { createDesktopChannel } from "../../daemon/notify/desktop-channel.js";
import { createNtfyChannel } from "../../daemon/notify/ntfy-channel.js";
import { guardAgainstSpam } from "../../daemon/notify/spam-guard.js";
import { startHarness } from "../support/daemon-harness.js";
import { makeTempHome } from "../support/temp-home.js";
import { startNtfyRecorder } from "../support/ntfy-recorder.js";
import { cleanEnv, runVigil, VIGIL_BIN } from "../support/run-vigil.js";
import { checkSystemTools } from "../support/system-tools.js";

describe("notifications", () => {
  it("ntfy: JSON publish with topic, title, message, priority, tags, click URL and the bearer token", async () => {
    const ntfy = await startNtfyRecorder();
    await createNtfyChannel({ server: ntfy.url, topic: "vigil-me", token: "tk_secret" }).send({ title: "PR 42", body: "CI is red", priority: "high", url: "https://github.com/octo/app/pull/42" });
    await ntfy.close();
    expect(ntfy.received).toHaveLength(1);
    expect(ntfy.received[0]!.headers.authorization).toBe("Bearer tk_secret");
    expect(ntfy.received[0]!.body).toEqual({ topic: "vigil-me", title: "PR 42", message: "CI is red", priority: 4, tags: ["vigil"], click: "https://github.com/octo/app/pull/42" });
  });

  it("a failing channel falls back to the next, and the failure is reported", async () => {
    const failing = await startNtfyRecorder(500);
    const working = await startNtfyRecorder();
    const notifier = createFallbackNotifier([createNtfyChannel({ server: failing.url, topic: "a" }), { ...createNtfyChannel({ server: working.url, topic: "b" }), name: "second" }]);
    const result = await notifier.send({ title: "t", body: "b" });
    await failing.close();
    await working.close();
    expect(result.delivered).toEqual(["second"]);
    expect(result.failures).toEqual([{ channel: "ntfy", error: expect.stringContaining("HTTP 500") }]);
  });

  it("duplicates inside the window collapse into one, there is an hourly cap, and what is held back is journaled", async () => {
    const h = await startHarness();
    const ntfy = await startNtfyRecorder();
    const notifier = guardAgainstSpam(createFallbackNotifier([createNtfyChannel({ server: ntfy.url, topic: "t" })]), { journal: h.ctx.journal, now: h.clock.now, perHour: 3 });
    await notifier.send({ title: "same", body: "again" });
    const repeat = await notifier.send({ title: "same", body: "again" });
    expect(repeat.delivered).toEqual([]);
    await notifier.send({ title: "two", body: "x" });
    await notifier.send({ title: "three", body: "x" });
    expect((await notifier.send({ title: "four", body: "x" })).delivered).toEqual([]);
    h.clock.advance(61 * 60_000);
    expect((await notifier.send({ title: "same", body: "again" })).delivered).toEqual(["ntfy"]);
    await ntfy.close();
    expect(ntfy.received.map((message) => message.body.title)).toEqual(["same", "two", "three", "same"]);
    expect(h.journal("system").map((entry) => entry.summary)).toEqual([
      "notification held back (duplicate within the window): same",
      "notification held back (more than 3 in an hour): four",
    ]);
  });

  it("without any D-Bus session the desktop channel fails with a clear error instead of vanishing", async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus", DISPLAY: "" };
    const previous = { bus: process.env.DBUS_SESSION_BUS_ADDRESS, display: process.env.DISPLAY };
    Object.assign(process.env, { DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS, DISPLAY: "" });
    try {
      await expect(createDesktopChannel().send({ title: "t", body: "b" })).rejects.toThrow(/desktop notification failed/);
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = previous.bus;
      process.env.DISPLAY = previous.display;
    }
  });
});

describe("desktop notifications with no bus at all", () => {
  it("the daemon journals the failure instead of losing it", async () => {
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), "heartbeat: { quietHours: null }\nnotify: { desktop: true }\nrules: [ { when: { source: user }, do: notify } ]\nserver: { port: 0 }\n");
    const env = cleanEnv(home, { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" });
    runVigil(["tell", "nobody will see this pop up"], env);
    expect(runVigil(["start", "--once"], env).code).toBe(0);
    const acted = JSON.parse(runVigil(["log", "--kind", "acted", "--json"], env).stdout.trim());
    expect(acted.data).toMatchObject({ tool: "notify", outcome: "error" });
    expect(acted.summary).toMatch(/no channel delivered it: desktop: desktop notification failed/);
  });
});

const desktopTools = checkSystemTools({ Xvfb: "xvfb", dunst: "dunst", dunstctl: "dunst", "dbus-run-session": "dbus", "notify-send": "libnotify-bin" });

describe.skipIf(desktopTools.skip)(desktopTools.title("desktop notifications for real (Xvfb, a session bus, dunst)"), () => {
  let xvfb: ChildProcess;
  const display = `:${40 + (process.pid % 50)}`;
  beforeAll(async () => {
    desktopTools.assertPresent();
    xvfb = spawn("Xvfb", [display, "-nolisten", "tcp"], { stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, 500));
  });
  afterAll(() => {
    xvfb?.kill();
  });

  it("a failing ntfy falls back to the desktop: dunst shows it and the journal says what happened", async () => {
    const ntfy = await startNtfyRecorder(503);
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), `heartbeat: { quietHours: null }\nnotify: { desktop: true, ntfy: { server: "${ntfy.url}", topic: vigil-test } }\nrules: [ { when: { source: user }, do: notify } ]\nserver: { port: 0 }\n`);
    const env = cleanEnv(home, { DISPLAY: display });
    expect(runVigil(["tell", "the build finished"], env).code).toBe(0);
    // One session bus for dunst and the daemon, as a desktop login has.
    const script = `dunst >/dev/null 2>&1 & sleep 0.5; "${process.execPath}" "${VIGIL_BIN}" start --once >/dev/null 2>&1; sleep 0.3; dunstctl close-all; sleep 0.3; dunstctl history`;
    const session = await new Promise<string>((resolve) => {
      const child = spawn("dbus-run-session", ["--", "bash", "-c", script], { env: { ...env, PATH: process.env.PATH } });
      let out = "";
      child.stdout.on("data", (chunk) => (out += chunk));
      child.on("exit", () => resolve(out));
    });
    await ntfy.close();
    expect(ntfy.received).toHaveLength(1); // it was tried first
    expect(session).toContain('"data" : "user: message"');
    expect(session).toContain("the build finished");
    const acted = JSON.parse(runVigil(["log", "--kind", "acted", "--json"], env).stdout.trim());
    expect(acted.data).toMatchObject({ tool: "notify", outcome: "ok" });
    expect(acted.summary).toMatch(/delivered via desktop \(ntfy failed: ntfy answered HTTP 503/);
  });
});
