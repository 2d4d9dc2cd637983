import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMessagesApiServer, text, type MessagesApiServer } from "../support/messages-api-server.js";
import { makeTempHome } from "../support/temp-home.js";
import { checkSystemTools } from "../support/system-tools.js";
import { cleanEnv, runVigilAsync } from "../support/run-vigil.js";

let server: MessagesApiServer;
afterEach(async () => server?.close());

const notifySend = checkSystemTools({ "notify-send": "libnotify-bin", stdbuf: "coreutils" });

async function doctor(config: string, key = "sk-test-loopback", prepare: (home: string) => void = () => {}, extraEnv: (home: string) => NodeJS.ProcessEnv = () => ({})) {
  server = await startMessagesApiServer({ fallback: () => text("pong") });
  const home = makeTempHome();
  writeFileSync(path.join(home, "config.yaml"), config, { mode: 0o600 });
  prepare(home);
  const result = await runVigilAsync(["doctor", "--json"], cleanEnv(home, { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: server.url, ...extraEnv(home) }));
  return { code: result.code, checks: result.stdout ? (JSON.parse(result.stdout) as Array<{ name: string; level: string; ok: boolean; detail: string; fix?: string }>) : [], stderr: result.stderr };
}

describe("vigil doctor", () => {
  it("a healthy setup: every check passes, the model got one cheap authenticated call", async () => {
    const { code, checks } = await doctor("server: { port: 0 }\nnotify: { ntfy: { topic: vigil-test }, desktopApprovals: false }\n");
    expect(checks.filter((check) => check.level !== "ok")).toEqual([]);
    expect(code).toBe(0);
    expect(checks.map((check) => check.name)).toEqual(["config", "database", "file modes", "memory", "model", "secrets", "notifiers", "github delivery", "sandbox", "webhook port", "watch roots", "service"]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toMatchObject({ model: "claude-haiku-5-5", max_tokens: 1 });
  });

  it("each problem is named with its fix, and the exit code is 1", async () => {
    const { code, checks } = await doctor("server: { port: 0 }\nwatch: [ { path: /nonexistent/vigil-root } ]\n", "sk-revoked-key");
    expect(code).toBe(1);
    const failed = Object.fromEntries(checks.filter((check) => !check.ok).map((check) => [check.name, check]));
    expect(Object.keys(failed).sort()).toEqual(["model", "watch roots"]);
    // Desktop only, in a session with no display or bus: a warning (notifications are kept), not a failure.
    expect(checks.find((check) => check.name === "notifiers")).toMatchObject({ level: "warn", ok: true, fix: expect.stringMatching(/ntfy/) });
    expect(failed.model!.detail).toContain("HTTP 401");
    expect(failed.model!.fix).toMatch(/ANTHROPIC_API_KEY/);
    expect(failed["watch roots"]!.detail).toContain("/nonexistent/vigil-root");
  });

  it("a memory index pointing at a missing topic fails the memory check with the revert hint", async () => {
    const { code, checks } = await doctor("server: { port: 0 }\nnotify: { ntfy: { topic: vigil-test } }\n", "sk-test-loopback", (home) => {
      mkdirSync(path.join(home, "memory"));
      writeFileSync(path.join(home, "memory", "MEMORY.md"), "- [Ghost](topics/ghost.md) — gone\n");
    });
    expect(code).toBe(1);
    expect(checks.find((check) => check.name === "memory")).toMatchObject({ ok: false, detail: expect.stringContaining("topics/ghost.md, which does not exist"), fix: expect.stringContaining("vigil memory revert") });
  });

  it("no usable sandbox is a warning that says run_command defaults to ask", async () => {
    const { checks } = await doctor("server: { port: 0 }\nnotify: { ntfy: { topic: vigil-test } }\ntools: { sandbox: { enabled: false } }\n");
    expect(checks.find((check) => check.name === "sandbox")).toMatchObject({ level: "warn", detail: expect.stringContaining("defaults to ask"), fix: expect.stringContaining("tools.sandbox.enabled") });
  });

  describe.skipIf(notifySend.skip)(notifySend.title("desktop approvals"), () => {
    beforeAll(() => notifySend.assertPresent());
    const desktop = "server: { port: 0 }\nnotify: { ntfy: { topic: vigil-test } }\n";

    it("notify-send 0.8 or later and stdbuf: the check passes and names the version", async () => {
      const { checks } = await doctor(desktop);
      expect(checks.find((check) => check.name === "desktop approvals")).toMatchObject({ level: "ok", detail: expect.stringMatching(/^notify-send 0\.\d+(\.\d+)?: approval notifications have Approve and Deny buttons$/) });
    });

    it("an older notify-send (no --action) is a warning that says how to approve instead", async () => {
      const { checks } = await doctor(desktop, "sk-test-loopback", (home) => {
        // libnotify 0.7's notify-send, as older distributions ship it, first on PATH.
        mkdirSync(path.join(home, "bin"));
        writeFileSync(path.join(home, "bin", "notify-send"), "#!/bin/sh\necho 'notify-send 0.7.9'\n", { mode: 0o700 });
      }, (home) => ({ PATH: `${path.join(home, "bin")}:${process.env.PATH}` }));
      expect(checks.find((check) => check.name === "desktop approvals")).toMatchObject({ level: "warn", ok: true, detail: expect.stringContaining("notify-send 0.7.9 has no --action"), fix: expect.stringContaining("libnotify-bin 0.8") });
    });

    it("is not checked when the buttons are off", async () => {
      const { checks } = await doctor("server: { port: 0 }\nnotify: { ntfy: { topic: vigil-test }, desktopApprovals: false }\n");
      expect(checks.map((check) => check.name)).not.toContain("desktop approvals");
    });
  });

  it("a broken config is a failed check (exit 1), not a crash", async () => {
    const { code, checks } = await doctor("heartbeat: { tickSeconds: soon }\n");
    expect(code).toBe(1);
    expect(checks).toEqual([expect.objectContaining({ name: "config", ok: false, detail: expect.stringContaining("heartbeat.tickSeconds") })]);
  });
});
