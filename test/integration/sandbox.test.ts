import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRunCommandTool } from "../../daemon/tools/run-command-tool.js";
import { detectSandbox } from "../../daemon/tools/sandbox/detect-sandbox.js";
import { planCommandSandbox } from "../../daemon/tools/sandbox/plan-command-sandbox.js";
import { verifyChain } from "../../logs/verify-chain.js";
import { toolUse } from "../support/messages-api-server.js";
import { BASE_CONFIG, startHarness } from "../support/daemon-harness.js";
import { makeTempHome } from "../support/temp-home.js";

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** A loopback TCP server that counts the connections it accepts. */
async function listenLoopback(): Promise<{ port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.end("hello\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  return { port: (server.address() as AddressInfo).port, connections: () => count };
}

async function sandboxed(commands: string[], extraConfig = "") {
  const workspace = makeTempHome("vigil-ws-");
  const userHome = makeTempHome("vigil-user-");
  mkdirSync(path.join(userHome, ".ssh"));
  writeFileSync(path.join(userHome, ".ssh", "id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY----- the-users-key\n");
  const h = await startHarness({
    config: `${BASE_CONFIG}tools: { workspace: ["${workspace}"], policy: { run_command: auto }${extraConfig} }\n`,
    env: { HOME: userHome },
  });
  h.server.script(...commands.map((command) => toolUse("run_command", { command })), toolUse("stay_quiet", { reason: "done" }));
  h.notice({ summary: "run the commands" });
  await h.ticks(2);
  const results = h.journal("acted").filter((entry) => entry.data.tool === "run_command").map((entry) => String(entry.data.result));
  return { h, workspace, userHome, results };
}

describe("run_command in the bubblewrap sandbox", () => {
  it("bwrap works on this machine (CI installs bubblewrap)", () => {
    expect(detectSandbox()).toEqual({ bwrap: expect.stringMatching(/bwrap$/), problem: "" });
  });

  it("cannot delete VIGIL_HOME, read ~/.ssh, or write outside its workspace root; the journal still verifies", async () => {
    const probe = makeTempHome("vigil-outside-");
    const { h, workspace, results } = await sandboxed([]);
    h.server.script(
      toolUse("run_command", { command: `rm -rf ${h.home}; echo "left=$(ls -A ${h.home} | wc -l)"` }),
      toolUse("run_command", { command: `cat $HOME/.ssh/id_* ; echo "exit=$?"` }),
      toolUse("run_command", { command: `echo made > inside.txt && echo inside-ok; echo x > ${probe}/outside.txt; echo "outside=$?"` }),
      toolUse("stay_quiet", { reason: "done" }),
    );
    expect(results).toHaveLength(0);
    h.notice({ summary: "try the dangerous commands" });
    await h.ticks(2);
    const [rm, ssh, write] = h.journal("acted").filter((entry) => entry.data.tool === "run_command").map((entry) => String(entry.data.result));
    expect(rm).toContain("left=0"); // it saw an empty directory, not the database
    expect(existsSync(path.join(h.home, "vigil.db"))).toBe(true);
    expect(ssh).toMatch(/No such file|exit=1/);
    expect(ssh).not.toContain("the-users-key");
    expect(write).toContain("inside-ok");
    expect(write).toMatch(/outside=[12]/);
    expect(readFileSync(path.join(workspace, "inside.txt"), "utf8")).toBe("made\n");
    expect(existsSync(path.join(probe, "outside.txt"))).toBe(false);
    expect(verifyChain(h.ctx.db)).toMatchObject({ ok: true });
  });

  it("has no network: curl and a node TCP connect to a loopback port both fail", async () => {
    const target = await listenLoopback();
    const node = process.execPath;
    const { h, results } = await sandboxed([
      `curl -sS --max-time 5 http://127.0.0.1:${target.port}/; echo "curl=$?"`,
      `${node} -e "require('net').connect(${target.port}, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0) }).on('error', (e) => { console.log('refused', e.code); process.exit(3) })"`,
    ]);
    expect(results[0]).toMatch(/curl=7/);
    expect(results[1]).toMatch(/^exit 3\nrefused ECONNREFUSED/);
    expect(target.connections()).toBe(0);
    expect(verifyChain(h.ctx.db)).toMatchObject({ ok: true });
  });

  it("tools.sandbox.network: true lets a command reach the loopback port", async () => {
    const target = await listenLoopback();
    const { results } = await sandboxed([`curl -sS --max-time 5 telnet://127.0.0.1:${target.port} </dev/null; echo "curl=$?"`], ", sandbox: { network: true }");
    expect(results[0]).toContain("hello");
    expect(target.connections()).toBe(1);
  });

  it("without a sandbox run_command defaults to ask", async () => {
    const workspace = makeTempHome("vigil-ws-");
    const h = await startHarness({ config: `${BASE_CONFIG}tools: { workspace: ["${workspace}"], sandbox: { enabled: false } }\n` });
    h.server.script(toolUse("run_command", { command: "touch unconfined" }), toolUse("stay_quiet", { reason: "asked" }));
    h.notice({ summary: "touch a file" });
    await h.ticks(2);
    expect(h.journal("decided").map((entry) => entry.summary)).toContainEqual(expect.stringMatching(/approval #1 requested: run_command \(tools.policy for run_command is ask\)/));
    expect(existsSync(path.join(workspace, "unconfined"))).toBe(false);
  });

  it("a timeout kills everything inside the sandbox", async () => {
    const workspace = makeTempHome("vigil-ws-");
    const { sandbox } = planCommandSandbox({ enabled: true, network: false, hide: [] }, { vigilHome: makeTempHome(), configFile: "/nonexistent/config.yaml" });
    const tool = createRunCommandTool({ roots: [workspace], onBackgroundDone: () => undefined, timeoutMs: 500, blockingMs: 10_000, sandbox: sandbox! });
    const started = Date.now();
    const result = (await tool.run(tool.input.parse({ command: `(sleep 3; touch ${workspace}/late) & sleep 30; echo never` }), { turnId: "t1", now: new Date(), timeZone: "UTC" })) as { content: string };
    expect(result.content).toMatch(/^killed after the timeout/);
    expect(Date.now() - started).toBeLessThan(2500);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(existsSync(path.join(workspace, "late"))).toBe(false);
  });

  it("a machine with no usable bwrap is detected, with the reason", () => {
    expect(detectSandbox({ candidates: ["/nonexistent/bwrap"] })).toEqual({ bwrap: undefined, problem: expect.stringContaining("bubblewrap is not installed") });
    expect(detectSandbox({ platform: "darwin" }).problem).toMatch(/no command sandbox for darwin/);
    expect(detectSandbox({ candidates: ["/bin/false"] }).problem).toMatch(/cannot create a sandbox here/);
  });
});
