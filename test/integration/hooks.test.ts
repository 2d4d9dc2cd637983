import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startMessagesApiServer, toolUse, type MessagesApiServer } from "../support/messages-api-server.js";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigil, runVigilAsync } from "../support/run-vigil.js";

const BASE = `server: { port: 0 }\nnotify: { desktop: false }\nheartbeat: { idleWakeMinutes: 0, quietHours: null }\n`;
let api: MessagesApiServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function journal(env: NodeJS.ProcessEnv, kind: string) {
  return runVigil(["log", "--kind", kind, "--json"], env).stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

function setup(config: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const home = makeTempHome();
  const out = path.join(home, "hook-out");
  mkdirSync(out);
  writeFileSync(path.join(home, "config.yaml"), BASE + config.replaceAll("OUT", out));
  return { home, out, env: cleanEnv(home, extraEnv) };
}

describe("hooks: the user's own commands on Vigil's events", () => {
  it("an observer gets the entry as JSON on stdin and VIGIL_HOOK_EVENT, with no secret in its environment", async () => {
    const { out, env } = setup(
      `hooks:\n  - { on: "user.*", run: "cat > OUT/stdin.json; printf %s \\"$VIGIL_HOOK_EVENT\\" > OUT/event; env > OUT/env" }\n  - { on: "files.*", run: "touch OUT/wrong-pattern" }\n`,
      { GITHUB_TOKEN: "ghp_abcdefghijklmnopqrstuvwxyz0123456789", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" },
    );
    // The first start begins at the journal's head: history from before hooks existed is not replayed.
    expect(runVigil(["tell", "from before"], env).code).toBe(0);
    expect((await runVigilAsync(["start", "--once"], env)).code).toBe(0);
    expect(existsSync(path.join(out, "event"))).toBe(false);
    // From then on, a message told while the daemon is down reaches the hooks at its next start.
    expect(runVigil(["tell", "the release is out"], env).code).toBe(0);
    expect((await runVigilAsync(["start", "--once"], env)).code).toBe(0);
    expect(readFileSync(path.join(out, "event"), "utf8")).toBe("user.tell");
    const stdin = JSON.parse(readFileSync(path.join(out, "stdin.json"), "utf8"));
    expect(stdin).toMatchObject({ event: "user.tell", entry: { kind: "noticed", summary: "user/message: the release is out", data: { source: "user", type: "message" } } });
    const hookEnv = readFileSync(path.join(out, "env"), "utf8");
    expect(hookEnv).toContain("VIGIL_HOOK_EVENT=user.tell");
    expect(hookEnv).not.toMatch(/GITHUB_TOKEN|ghp_|ANTHROPIC|VIGIL_HOME/);
    expect(existsSync(path.join(out, "wrong-pattern"))).toBe(false);
  });

  it("a before_tool.run_command hook vetoes rm: nothing is deleted, the model reads the hook's reason, the journal says so", async () => {
    api = await startMessagesApiServer();
    const workspace = makeTempHome("vigil-ws-");
    writeFileSync(path.join(workspace, "precious.txt"), "keep me\n");
    const { env } = setup(
      `tools: { workspace: ["${workspace}"], policy: { run_command: auto } }\nhooks:\n  - { on: "before_tool.run_command", run: "if grep -q '\\"command\\":\\"rm '; then echo 'no rm here, move it to the trash instead' >&2; exit 2; fi" }\n`,
      { ANTHROPIC_API_KEY: "sk-ant-test-key-0000", ANTHROPIC_BASE_URL: api.url },
    );
    api.script(toolUse("run_command", { command: "rm precious.txt" }), toolUse("run_command", { command: "echo listed > listing.txt" }), toolUse("stay_quiet", { reason: "done" }));
    expect(runVigil(["tell", "tidy the workspace"], env).code).toBe(0);
    expect((await runVigilAsync(["start", "--once"], env)).code).toBe(0);
    expect(readFileSync(path.join(workspace, "precious.txt"), "utf8")).toBe("keep me\n");
    expect(readFileSync(path.join(workspace, "listing.txt"), "utf8")).toBe("listed\n"); // other commands still run
    expect(JSON.stringify(api.requests[1]!.body.messages.at(-1))).toContain("a before_tool hook refused this run_command call: no rm here, move it to the trash instead");
    const vetoed = journal(env, "acted").find((entry) => entry.data.outcome === "vetoed");
    expect(vetoed).toMatchObject({ summary: "run_command vetoed by a before_tool hook: no rm here, move it to the trash instead", data: { tool: "run_command", input: { command: "rm precious.txt" } } });
  });

  it("a hook that hangs past its timeout is killed and journaled; the daemon goes on", async () => {
    const { out, env } = setup(`hooks:\n  - { on: "user.tell", run: "sleep 30; touch OUT/finished", timeoutSeconds: 1 }\n  - { on: "user.tell", run: "exit 3" }\n`);
    expect((await runVigilAsync(["start", "--once"], env)).code).toBe(0);
    expect(runVigil(["tell", "are you there"], env).code).toBe(0);
    expect((await runVigilAsync(["start", "--once"], env)).code).toBe(0);
    const errors = journal(env, "error").map((entry) => entry.summary);
    expect(errors).toContain("hook `sleep 30; touch OUT/finished` on user.tell failed: killed after 1 s".replace("OUT", out));
    expect(errors).toContain("hook `exit 3` on user.tell failed: exit 3");
    expect(existsSync(path.join(out, "finished"))).toBe(false);
    expect(journal(env, "quiet").length).toBeGreaterThan(0); // the turn itself was not held up
    expect(runVigil(["log", "verify"], env).code).toBe(0);
  });
});
