import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startMessagesApiServer, text, type MessagesApiServer } from "../support/messages-api-server.js";
import { startNtfyRecorder } from "../support/ntfy-recorder.js";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigil, runVigilAsync } from "../support/run-vigil.js";

const GITHUB_TOKEN = "ghp_fromServiceEnvFile000000000000000001";
const API_KEY = "sk-test-from-service-env-file";

/** Every feature that needs a secret, switched on. */
function everySecretConfig(ntfyUrl = "http://127.0.0.1:9") {
  return `model: { provider: anthropic }
heartbeat: { quietHours: null }  # a notification sent at night would wait for the morning digest
github: { apiBaseUrl: "http://127.0.0.1:9", poll: { enabled: true }, webhooks: { enabled: true } }  # nothing to reach: no network
notify: { desktop: false, ntfy: { server: "${ntfyUrl}", topic: vigil-test, token: env:NTFY_TOKEN } }
server: { port: 0 }
`;
}

function homeWith(config: string): string {
  const home = makeTempHome();
  writeFileSync(path.join(home, "config.yaml"), config);
  return home;
}

let server: MessagesApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("secrets are resolved by the verb that uses them, from the environment over service.env", () => {
  it("with every secret-backed feature on and an empty environment, the read-only verbs work", () => {
    const home = homeWith(everySecretConfig());
    const env = cleanEnv(home);
    const tell = runVigil(["tell", "hello"], env);
    expect(tell.stderr).toBe("");
    expect(tell.code).toBe(0);
    for (const verb of [["log"], ["log", "--json"], ["review"], ["approvals"], ["status"]]) {
      const result = runVigil(verb, env);
      expect(result.stderr, verb.join(" ")).not.toMatch(/not set|fix:/);
      expect(result.code, verb.join(" ")).toBe(verb[0] === "status" ? 1 : 0); // status: 1 = not running
    }
    expect(runVigil(["log", "--json"], env).stdout).toContain("user/message: hello");
    // The daemon does use them: it refuses to start (78), and says where the service reads them.
    const start = runVigil(["start", "--once"], env);
    expect(start.code).toBe(78);
    expect(start.stderr).toMatch(/github\.webhooks\.secret: environment variable VIGIL_WEBHOOK_SECRET is not set/);
    expect(start.stderr).toContain("service.env");
  });

  it("the CLI and the daemon read service.env themselves; the environment wins where both set a name", async () => {
    server = await startMessagesApiServer({ fallback: () => text("pong") });
    const home = homeWith(everySecretConfig());
    // A dead base URL in the file, the live one in the environment: the environment's must win.
    writeFileSync(
      path.join(home, "service.env"),
      `ANTHROPIC_API_KEY=${API_KEY}\nANTHROPIC_BASE_URL=http://127.0.0.1:9\nGITHUB_TOKEN=${GITHUB_TOKEN}\nVIGIL_WEBHOOK_SECRET=hook-secret-1234\nNTFY_TOKEN=tk_ntfy_secret\n`,
      { mode: 0o600 },
    );
    const result = await runVigilAsync(["doctor", "--json"], cleanEnv(home, { ANTHROPIC_BASE_URL: server.url }));
    const checks = JSON.parse(result.stdout) as Array<{ name: string; ok: boolean; detail: string }>;
    expect(checks.find((check) => check.name === "model")).toMatchObject({ ok: true });
    const { headers } = server.requests[0]!;
    expect(String(headers["x-api-key"] ?? headers.authorization)).toContain(API_KEY); // the key came from service.env
    expect(checks.find((check) => check.name === "secrets")).toMatchObject({ ok: true, detail: expect.stringContaining("GITHUB_TOKEN (service.env)") });
    for (const secret of [API_KEY, GITHUB_TOKEN, "hook-secret-1234", "tk_ntfy_secret"]) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it("doctor in a shell flags a secret only the shell has once the service is installed", async () => {
    const home = homeWith("server: { port: 0 }\nnotify: { desktop: false }\ngithub: { webhooks: { enabled: true } }\n");
    const unit = path.join(home, ".config", "systemd", "user", "vigil.service");
    mkdirSync(path.dirname(unit), { recursive: true });
    writeFileSync(unit, "[Service]\n");
    const result = await runVigilAsync(["doctor", "--json"], cleanEnv(home, { VIGIL_WEBHOOK_SECRET: GITHUB_TOKEN }));
    const secrets = (JSON.parse(result.stdout) as Array<{ name: string; ok: boolean; detail: string; fix?: string }>).find((check) => check.name === "secrets");
    expect(secrets).toMatchObject({ ok: false, detail: expect.stringContaining("VIGIL_WEBHOOK_SECRET is set in this shell only"), fix: expect.stringContaining(path.join(home, "service.env")) });
    expect(result.stdout).not.toContain(GITHUB_TOKEN);
  });

  it("a start without a key the previous start had is journaled and notified, names only", async () => {
    const ntfy = await startNtfyRecorder();
    const home = homeWith(`heartbeat: { quietHours: null }\nnotify: { desktop: false, ntfy: { server: "${ntfy.url}", topic: vigil-test } }\nserver: { port: 0 }\n`);
    writeFileSync(path.join(home, "service.env"), `ANTHROPIC_API_KEY=${API_KEY}\nANTHROPIC_BASE_URL=http://127.0.0.1:9\n`, { mode: 0o600 });
    expect((await runVigilAsync(["start", "--once"], cleanEnv(home))).stderr).toMatch(/provider: anthropic/);
    writeFileSync(path.join(home, "service.env"), "# the key went missing\n", { mode: 0o600 });
    const second = await runVigilAsync(["start", "--once"], cleanEnv(home));
    await ntfy.close();
    expect(second.code).toBe(0);
    const rows = runVigil(["log", "--json"], cleanEnv(home)).stdout.trim().split("\n").map((line) => JSON.parse(line));
    const lost = rows.filter((row) => row.data.event === "secrets-missing");
    expect(lost).toEqual([expect.objectContaining({ kind: "error", summary: expect.stringContaining("started without ANTHROPIC_API_KEY") })]);
    expect(lost[0].data).toMatchObject({ names: ["ANTHROPIC_API_KEY"], provider: "rules" });
    expect(ntfy.received.map((message) => message.body.title)).toEqual(["Vigil started without a key it had"]);
    expect(JSON.stringify(rows) + JSON.stringify(ntfy.received)).not.toContain(API_KEY);
  });
});
