import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, describe, expect, it } from "vitest";
import { startMessagesApiServer, toolUse, type MessagesApiServer, type RecordedRequest } from "../support/messages-api-server.js";
import { makeTempHome } from "../support/temp-home.js";
import { openContext } from "../../daemon/context/open-context.js";
import { createTaskStore } from "../../daemon/tasks/task-store.js";
import { cleanEnv, ROOT, runVigil, runVigilAsync, spawnVigil, VIGIL_BIN, waitFor, type RunningVigil } from "../support/run-vigil.js";

const TEST_SERVER = path.join(ROOT, "test/support/mcp-test-server.mjs");
const FS_SERVER = path.join(ROOT, "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");

let api: MessagesApiServer;
const daemons: RunningVigil[] = [];
afterEach(async () => {
  for (const daemon of daemons.splice(0)) daemon.child.kill("SIGKILL");
  await api?.close();
});

async function setup(extra = "") {
  api = await startMessagesApiServer();
  const home = makeTempHome();
  const workspace = path.join(home, "ws");
  const files = path.join(home, "files");
  mkdirSync(workspace);
  mkdirSync(files);
  writeFileSync(path.join(files, "note.txt"), "the standup moved to 10:30\n");
  const log = path.join(home, "mcp-test.log");
  writeFileSync(
    path.join(home, "config.yaml"),
    [
      "server: { port: 0 }",
      "notify: { desktop: false }",
      "heartbeat: { tickSeconds: 0.1, idleWakeMinutes: 0, settleMs: 100, quietHours: null }",
      `tools: { workspace: ["${workspace}"], policy: { "test__*": auto, fs__read_text_file: auto, write_file: auto } }`,
      "mcp:",
      "  callTimeoutSeconds: 1",
      "  servers:",
      `    test: { command: "${process.execPath}", args: ["${TEST_SERVER}"], env: { MCP_TEST_LOG: "${log}", TRACKER_TOKEN: env:TRACKER_TOKEN } }`,
      `    fs: { command: "${process.execPath}", args: ["${FS_SERVER}", "${files}"] }`,
      extra,
    ].join("\n"),
  );
  const env = cleanEnv(home, { ANTHROPIC_API_KEY: "sk-ant-loopback-key-123", ANTHROPIC_BASE_URL: api.url, TRACKER_TOKEN: "trk-secret-value-42" });
  return { home, env, workspace, files, log };
}

function journal(env: NodeJS.ProcessEnv) {
  return runVigil(["log", "--json"], env).stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { kind: string; summary: string; data: Record<string, unknown> });
}

const toolResultText = (request: RecordedRequest) => JSON.stringify(request.body.messages.at(-1));

describe("MCP servers as tool providers", () => {
  it("their tools come as SERVER__TOOL after the built-ins; results are fenced, taint the turn, and reach no secret", async () => {
    const { env, workspace, files } = await setup();
    api.script(
      toolUse("test__env"),
      toolUse("fs__read_text_file", { path: path.join(files, "note.txt") }),
      toolUse("write_file", { path: "standup.txt", content: "10:30" }),
      toolUse("stay_quiet", { reason: "noted" }),
    );
    expect(runVigil(["tell", "what does the tracker say?"], env).code).toBe(0);
    expect((await runVigilAsync(["start", "--once"], env)).code).toBe(0);

    const names = api.requests[0]!.body.tools!.map((tool) => tool.name);
    expect(names.indexOf("stay_quiet")).toBeLessThan(names.indexOf("fs__read_text_file"));
    const mcpNames = names.filter((name) => name.includes("__"));
    expect(mcpNames).toEqual([...mcpNames].sort());
    expect(mcpNames).toEqual(expect.arrayContaining(["fs__list_directory", "test__echo", "test__hang", "test__crash"]));
    const echo = api.requests[0]!.body.tools!.find((tool) => tool.name === "test__echo") as unknown as { input_schema: { properties: object } };
    expect(echo.input_schema.properties).toHaveProperty("text");

    // The server sees only a minimal environment plus what its config names.
    const seen = toolResultText(api.requests[1]!);
    expect(seen).toContain('<untrusted-data source=\\"mcp\\" server=\\"test\\" tool=\\"env\\">');
    expect(seen).toContain("TRACKER_TOKEN");
    expect(seen).not.toMatch(/ANTHROPIC|VIGIL_HOME|trk-secret-value-42/);
    // After outside content, even another MCP read and a write whose policy is auto wait for the user.
    expect(toolResultText(api.requests[2]!)).toContain("queued for the user's approval as #1");
    expect(toolResultText(api.requests[3]!)).toContain("queued for the user's approval as #2");
    expect(existsSync(path.join(workspace, "standup.txt"))).toBe(false);
    const rows = journal(env);
    expect(rows.find((row) => row.summary.startsWith("approval #1 requested: fs__read_text_file"))?.summary).toMatch(/untrusted/);
    expect(rows.some((row) => row.summary === "MCP server test is up: 6 tool(s)")).toBe(true);
    expect(JSON.stringify(rows)).not.toContain("trk-secret-value-42");

    // Approving an MCP call starts that one server for the call.
    const approved = await runVigilAsync(["approve", "1"], env);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain("the standup moved to 10:30");
  });

  it("the cached prefix is byte-identical between wakes while the servers' tools do not change", async () => {
    const { env } = await setup();
    const daemon = spawnVigil(["start"], env);
    daemons.push(daemon);
    await waitFor(() => journal(env).filter((row) => row.data.event === "mcp-up").length === 2, 40_000, "both servers up (each may take up to the hub's 30 s start timeout under load)");
    runVigil(["tell", "first"], env);
    await waitFor(() => api.requests.length === 1, 15_000, "first wake");
    runVigil(["tell", "second"], env);
    await waitFor(() => api.requests.length === 2, 15_000, "second wake");
    const front = (request: RecordedRequest) => request.raw.slice(0, request.raw.lastIndexOf('"cache_control"'));
    expect(front(api.requests[1]!)).toBe(front(api.requests[0]!));
  });

  it("a hanging call times out, a crash withdraws the tools, both come back; a server that cannot start never stops the daemon", async () => {
    const { env, log } = await setup(`    broken: { command: "/nonexistent/mcp-server" }`);
    const daemon = spawnVigil(["start"], env);
    daemons.push(daemon);
    await waitFor(() => journal(env).some((row) => row.summary === "MCP server test is up: 6 tool(s)"), 20_000, "test server up");
    const listed = JSON.parse((await runVigilAsync(["mcp", "list", "--json"], env)).stdout) as { servers: Array<{ name: string; state: string; tools: string[]; lastError: string | null }> };
    expect(listed.servers.map((server) => [server.name, server.state])).toEqual([["broken", "down"], ["fs", "up"], ["test", "up"]]);
    expect(listed.servers[0]!.lastError).toMatch(/ENOENT|nonexistent/);
    expect(listed.servers[2]!.tools).toHaveLength(6);

    api.script(toolUse("test__hang"), toolUse("stay_quiet", { reason: "it hung" }));
    runVigil(["tell", "ask the hanging tool"], env);
    await waitFor(() => api.requests.length >= 2, 20_000, "the hang's result");
    expect(toolResultText(api.requests[1]!)).toMatch(/test__hang failed: .*timed out/i);
    await waitFor(() => readFileSync(log, "utf8").match(/^started/gm)!.length >= 2, 20_000, "restart after the hang");

    await waitFor(() => journal(env).filter((row) => row.summary === "MCP server test is up: 6 tool(s)").length >= 2, 20_000, "up again");
    api.script(toolUse("test__crash"), toolUse("stay_quiet", { reason: "crashed it" }));
    runVigil(["tell", "crash it"], env);
    await waitFor(() => journal(env).some((row) => row.data.event === "mcp-down" && /withdrawn/.test(row.summary) && !/timed out/i.test(row.summary)), 20_000, "crash noticed");
    await waitFor(() => readFileSync(log, "utf8").match(/^started/gm)!.length >= 3, 20_000, "restart after the crash");
    await waitFor(() => journal(env).filter((row) => row.summary === "MCP server test is up: 6 tool(s)").length >= 3, 20_000, "up after the crash");
    expect(daemon.child.exitCode).toBeNull();

    const doctor = await runVigilAsync(["doctor", "--json"], env);
    const checks = JSON.parse(doctor.stdout) as Array<{ name: string; ok: boolean; detail: string }>;
    expect(checks.find((check) => check.name === "mcp test")).toMatchObject({ ok: true, detail: expect.stringContaining("echo") });
    expect(checks.find((check) => check.name === "mcp broken")).toMatchObject({ ok: false });
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
  });
});

describe("vigil mcp serve", () => {
  it("another agent can tell Vigil something and read the journal and approvals, but approve nothing", async () => {
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\n");
    const env = cleanEnv(home);
    expect(runVigil(["tell", "remember the quarterly report"], env).code).toBe(0);
    const ctx = openContext({ env, logDestination: new Writable({ write: (_c, _e, done) => done() }) });
    createTaskStore(ctx).create({ repo: "octo/app", repoDir: home, ref: null, baseCommit: "0".repeat(40), goal: "fix the flaky test", maxSteps: 40, maxTokens: 400_000, timeoutMs: 60_000, model: "claude-sonnet-5-5", turnId: null }, new Date());
    ctx.close();
    const client = new Client({ name: "editor-agent", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [VIGIL_BIN, "mcp", "serve"], env: env as Record<string, string>, stderr: "pipe" }));
    try {
      const tools = (await client.listTools()).tools.map((tool) => tool.name).sort();
      expect(tools).toEqual(["approvals", "journal", "review", "search", "tasks", "tell"]);
      const tasks = await client.callTool({ name: "tasks", arguments: {} });
      expect(JSON.stringify(tasks.content)).toContain("#1 queued octo/app vigil/task-1: fix the flaky test");
      const told = await client.callTool({ name: "tell", arguments: { text: "the deploy is at noon" } });
      expect(JSON.stringify(told.content)).toMatch(/queued as event #2/);
      const found = await client.callTool({ name: "search", arguments: { query: "quarterly" } });
      expect(JSON.stringify(found.content)).toContain("quarterly");
      const approvals = await client.callTool({ name: "approvals", arguments: {} });
      expect(JSON.stringify(approvals.content)).toContain("nothing is waiting");
    } finally {
      await client.close();
    }
    const noticed = journal(env).filter((row) => row.kind === "noticed");
    expect(noticed.at(-1)).toMatchObject({ summary: "user/agent: (via MCP) the deploy is at noon", data: { trust: "untrusted" } });
  });
});
