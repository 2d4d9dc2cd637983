import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../daemon/config/config-error.js";
import { DEFAULT_CONFIG_TEXT } from "../daemon/config/default-config-text.js";
import { loadConfig, parseConfigText } from "../daemon/config/load-config.js";
import { makeTempHome } from "./support/temp-home.js";
import { cleanEnv, runVigil } from "./support/run-vigil.js";

function configError(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  const file = path.join(makeTempHome(), "config.yaml");
  writeFileSync(file, text);
  try {
    loadConfig(file, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("no file at all means every default", () => {
    const loaded = loadConfig(path.join(makeTempHome(), "absent.yaml"), {});
    expect(loaded.file).toBeUndefined();
    expect(loaded.config.heartbeat).toMatchObject({ tickSeconds: 5, idleWakeMinutes: 30, settleMs: 1500, maxSteps: 8 });
    expect(loaded.config.server).toEqual({ host: "127.0.0.1", port: 8750 });
    expect(loaded.config.github.webhooks).toEqual({ enabled: false, secret: "env:VIGIL_WEBHOOK_SECRET", path: "/webhooks/github" });
    expect(loaded.secrets.values).toEqual([]);
  });

  it("the text `vigil init` writes loads to exactly the defaults", () => {
    expect(parseConfigText(DEFAULT_CONFIG_TEXT)).toEqual(parseConfigText(""));
  });

  it("an unknown key names the key, its line and the keys allowed", () => {
    const error = configError("model:\n  name: claude-sonnet-5-5\n  maxTokenz: 5\n");
    expect(error.keyPath).toBe("model.maxTokenz");
    expect(error.line).toBe(3);
    expect(error.message).toContain("config.yaml:3");
    expect(error.fix).toContain("maxTokens");
  });

  it("a map keyed by tool names lists the allowed names; MCP tools and patterns are allowed", () => {
    const error = configError("tools:\n  policy:\n    start_taks: ask\n");
    expect(error.keyPath).toBe("tools.policy.start_taks");
    expect(error.message).toMatch(/is not a tool: use one of notify, deliver_file, .*run_command.*, or an MCP tool or pattern such as linear__create_issue or linear__\*/);
    const loaded = parseConfigText('tools: { policy: { "linear__*": critic, linear__create_issue: ask } }\n');
    expect(loaded.tools.policy).toEqual({ "linear__*": "critic", linear__create_issue: "ask" });
  });

  it("an MCP server's unknown key lists the keys of both kinds of server; hooks need a command", () => {
    expect(configError("mcp: { servers: { linear: { command: npx, bogus: 1 } } }\n").fix).toContain("command, args, env, cwd, url, headers");
    expect(configError('hooks: [ { on: "user.tell" } ]\n').keyPath).toBe("hooks[0].run");
    expect(parseConfigText('hooks: [ { on: "github.pull_request_review.*", run: "notify-send review" } ]\n').hooks).toEqual([{ on: "github.pull_request_review.*", run: "notify-send review", timeoutSeconds: 10 }]);
  });

  it("a wrong type names the key and what it expects", () => {
    const error = configError("heartbeat:\n  tickSeconds: fast\n");
    expect(error.keyPath).toBe("heartbeat.tickSeconds");
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/expected number, got "fast"/);
  });

  it("keys inside lists are named with their index", () => {
    const error = configError("watch:\n  - path: ~/a\n  - path: 3\n");
    expect(error.keyPath).toBe("watch[1].path");
    expect(error.line).toBe(3);
  });

  it("bad YAML gives the line of the syntax error", () => {
    const error = configError("model:\n  name: ok\n\tmaxTokens: 5\n");
    expect(error.message).toMatch(/not valid YAML/);
    expect(error.line).toBe(3);
  });

  it("an inline secret is refused: only env: references", () => {
    const error = configError("github:\n  token: ghp_notARealTokenButLooksLikeOne1234\n");
    expect(error.keyPath).toBe("github.token");
    expect(error.message).not.toContain("ghp_notARealToken");
  });

  it("a missing env var is an error only when its feature is enabled", () => {
    expect(() => loadConfig(path.join(makeTempHome(), "none.yaml"), {})).not.toThrow();
    const error = configError("github:\n  webhooks: { enabled: true, secret: env:HOOK_SECRET }\n");
    expect(error.keyPath).toBe("github.webhooks.secret");
    expect(error.message).toContain("HOOK_SECRET is not set");
    const file = path.join(makeTempHome(), "config.yaml");
    writeFileSync(file, "github:\n  webhooks: { enabled: true, secret: env:HOOK_SECRET }\n");
    expect(loadConfig(file, { HOOK_SECRET: "hunter2hunter2" }).secrets).toMatchObject({
      webhookSecret: "hunter2hunter2",
      values: ["hunter2hunter2"],
    });
  });

  it("a bad cron expression is refused with its key", () => {
    const error = configError('schedules:\n  - cron: "every morning"\n    prompt: hi\n');
    expect(error.keyPath).toBe("schedules[0].cron");
    expect(error.fix).toMatch(/cron expression/);
  });

  it("an unknown time zone is refused", () => {
    expect(configError("timezone: Mars/Olympus\n").keyPath).toBe("timezone");
  });

  describe("through the built binary", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["unknown key", "heartbeat:\n  tickSecs: 5\n", /heartbeat\.tickSecs/],
      ["wrong type", "server:\n  port: eighty\n", /server\.port/],
      ["bad YAML", "model: {name: x\n", /not valid YAML/],
      ["missing env var", "github:\n  webhooks: { enabled: true }\n", /github\.webhooks\.secret: environment variable VIGIL_WEBHOOK_SECRET is not set/],
    ];
    for (const [name, text, message] of cases) {
      it(`${name}: exit 2 for a verb, 78 for the daemon, and the message names it`, () => {
        const home = makeTempHome();
        writeFileSync(path.join(home, "config.yaml"), text);
        const verb = runVigil(["approvals"], cleanEnv(home));
        expect(verb.code).toBe(2);
        expect(verb.stderr).toMatch(message);
        expect(verb.stderr).toContain(path.join(home, "config.yaml"));
        expect(verb.stderr).toMatch(/fix: /);
        // status still answers (not running: exit 1) and names the problem.
        const status = runVigil(["status"], cleanEnv(home));
        expect(status.code).toBe(1);
        expect(status.stdout).toMatch(message);
        expect(status.stdout).toContain(`DOES NOT LOAD: ${path.join(home, "config.yaml")}`);
        const start = runVigil(["start"], cleanEnv(home));
        expect(start.code).toBe(78);
        expect(start.stderr).toMatch(message);
      });
    }

    it("VIGIL_CONFIG points at another file", () => {
      const home = makeTempHome();
      const other = path.join(makeTempHome(), "elsewhere.yaml");
      writeFileSync(other, "bogus: true\n");
      const result = runVigil(["approvals"], cleanEnv(home, { VIGIL_CONFIG: other }));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(other);
    });
  });
});
