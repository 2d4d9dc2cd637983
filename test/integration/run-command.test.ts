import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createRunCommandTool, type BackgroundCommandDone } from "../../daemon/tools/run-command-tool.js";
import type { ToolResult } from "../../daemon/toolkit/tool.js";
import { toolUse } from "../support/messages-api-server.js";
import { BASE_CONFIG, startHarness } from "../support/daemon-harness.js";
import { makeTempHome } from "../support/temp-home.js";

function tool(options: { blockingMs?: number; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  const events: BackgroundCommandDone[] = [];
  const workspace = makeTempHome("vigil-ws-");
  const run = createRunCommandTool({ roots: [workspace], onBackgroundDone: (done) => events.push(done), ...options });
  const call = (command: string) => run.run(run.input.parse({ command }), { turnId: "t1", now: new Date(), timeZone: "UTC" }) as Promise<ToolResult>;
  return { call, events, workspace };
}

describe("run_command", () => {
  it("runs in the workspace with a scrubbed environment: no keys or tokens", async () => {
    const { call, workspace } = tool({ env: { PATH: process.env.PATH, HOME: "/home/me", ANTHROPIC_API_KEY: "sk-ant-api03-SECRETSECRET", GITHUB_TOKEN: "ghp_secretsecretsecretsecret1234", VIGIL_HOME: "/x" } });
    const result = await call("pwd; env");
    expect(result.isError).toBe(false);
    expect(result.content).toContain(workspace);
    expect(result.content).toContain("HOME=/home/me");
    expect(result.content).not.toMatch(/SECRET|ghp_|ANTHROPIC|GITHUB_TOKEN|VIGIL_HOME/);
  });

  it("a timeout kills the whole process group", async () => {
    const { call } = tool({ timeoutMs: 300, blockingMs: 5000 });
    const result = await call("sleep 30 & sleep 30; echo never");
    expect(result.content).toMatch(/^killed after the timeout/);
    expect(result.content).not.toContain("never");
  });

  it("output is bounded", async () => {
    const { call } = tool();
    const result = await call("head -c 100000 /dev/zero | tr '\\0' 'a'");
    expect(result.content.length).toBeLessThan(17 * 1024);
    expect(result.content).toMatch(/more bytes of output dropped/);
  });

  it("a command that outlives the blocking budget moves to the background and reports back as an event", async () => {
    const { call, events } = tool({ blockingMs: 200 });
    const result = await call("sleep 0.6; echo done-late");
    expect(result.content).toMatch(/continues in the background as job t1-1/);
    expect(events).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(events).toEqual([expect.objectContaining({ status: "exit 0", result: "exit 0\ndone-late\n" })]);
  });

  it("a secret printed by a command is redacted from the tool result the model sees", async () => {
    const workspace = makeTempHome("vigil-ws-");
    const h = await startHarness({ config: `${BASE_CONFIG}tools: { workspace: ["${workspace}"], policy: { run_command: auto } }\ngithub: { webhooks: { enabled: true, secret: env:HOOK } }\n`, env: { HOOK: "whsec-printed-by-a-script" } });
    writeFileSync(path.join(workspace, ".env"), "token=whsec-printed-by-a-script\n");
    h.server.script(toolUse("run_command", { command: "cat .env" }), toolUse("stay_quiet", { reason: "ok" }));
    h.notice({ summary: "run the script" });
    await h.ticks(2);
    const followUp = h.server.requests[1]!.raw;
    expect(followUp).toContain("token=[REDACTED]");
    expect(followUp).not.toContain("whsec-printed-by-a-script");
  });

  it("a secret in an event never reaches the prompt", async () => {
    const h = await startHarness({ config: `${BASE_CONFIG}github: { webhooks: { enabled: true, secret: env:HOOK } }\n`, env: { HOOK: "whsec-never-in-a-prompt" } });
    h.server.script(toolUse("stay_quiet", { reason: "ok" }));
    h.notice({ summary: "my secret is whsec-never-in-a-prompt and sk-ant-api03-abcdefghijklmnop" });
    await h.ticks(2);
    const raw = h.server.requests[0]!.raw;
    expect(raw).toContain("my secret is [REDACTED]");
    expect(raw).not.toContain("whsec-never-in-a-prompt");
    expect(raw).not.toContain("sk-ant-api03");
  });
});
