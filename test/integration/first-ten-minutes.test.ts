import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigil, runVigilAsync, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";

// Issue 24: what a newcomer meets in the first ten minutes, through the built binary.

const children: Array<RunningVigil["child"] | ChildProcess> = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Another program holding a real loopback port, as another Vigil or any web server would. */
async function takePort(): Promise<number> {
  const server = createServer((_req, res) => res.end("not vigil"));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function home(config: string): { home: string; env: NodeJS.ProcessEnv } {
  const dir = makeTempHome();
  writeFileSync(path.join(dir, "config.yaml"), config);
  return { home: dir, env: cleanEnv(dir) };
}

async function startDaemon(env: NodeJS.ProcessEnv): Promise<RunningVigil> {
  const daemon = spawnVigil(["start"], env);
  children.push(daemon.child);
  // The provider line is the last of what a start announces.
  await waitFor(() => daemon.output().stderr.includes("provider: "), 15_000, "daemon start");
  return daemon;
}

function journal(env: NodeJS.ProcessEnv): Array<{ kind: string; summary: string; data: Record<string, unknown> }> {
  return runVigil(["log", "--json"], env).stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

describe("a second daemon whose HTTP port is taken", () => {
  it("says so on the console, in status and in doctor, keeps running without HTTP, and a clean stop leaves run/ empty of http.json", async () => {
    const port = await takePort();
    const { home: dir, env } = home(`server: { port: ${port} }\nnotify: { desktop: false }\n`);
    const daemon = await startDaemon(env);
    const console = daemon.output().stderr;
    expect(console).toContain(`http: NOT listening: 127.0.0.1:${port} is taken by another program`);
    expect(console).toMatch(/off: .*the health endpoint \/healthz/);
    expect(console).toContain("fix: set server.port to a free port");

    const status = runVigil(["status", "--json"], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      running: true,
      pid: daemon.child.pid,
      source: "database",
      http: { listening: false, address: `127.0.0.1:${port}`, problem: { code: "EADDRINUSE", fix: expect.stringContaining("server.port") } },
    });
    const text = runVigil(["status"], env).stdout;
    expect(text).toContain(`http:           NOT listening: 127.0.0.1:${port} is taken by another program`);
    expect(text).toContain("/healthz");

    const doctor = JSON.parse((await runVigilAsync(["doctor", "--json"], env)).stdout) as Array<{ name: string; level: string; detail: string }>;
    expect(doctor.find((check) => check.name === "webhook port")).toMatchObject({ level: "warn", detail: expect.stringContaining(`pid ${daemon.child.pid}) is not listening`) });

    expect(existsSync(path.join(dir, "run", "http.json"))).toBe(true);
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    expect(existsSync(path.join(dir, "run", "http.json"))).toBe(false);
    expect(existsSync(path.join(dir, "run", "vigil.lock"))).toBe(false);
  });

  it("with GitHub webhooks enabled it cannot do its job: exit 78 naming server.port, its line and the fix", async () => {
    const port = await takePort();
    const { home: dir, env: base } = home(`github:\n  webhooks: { enabled: true }\nserver:\n  port: ${port}\n`);
    const env = { ...base, VIGIL_WEBHOOK_SECRET: "s3cret-for-the-test" };
    const result = await runVigilAsync(["start"], env);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(`${path.join(dir, "config.yaml")}:4: server.port: 127.0.0.1:${port} is taken by another program, so GitHub webhooks`);
    expect(result.stderr).toContain("fix: set server.port to a free port");
    expect(result.stderr).not.toContain("running (pid");
    expect(existsSync(path.join(dir, "run", "http.json"))).toBe(false);
    expect(existsSync(path.join(dir, "run", "vigil.lock"))).toBe(false);
    const entries = journal(env);
    expect(entries.map((entry) => entry.data.event ?? entry.kind)).toEqual(["started", "error", "stopped"]);
    expect(entries[1]!.summary).toContain(`HTTP server not started on 127.0.0.1:${port}: EADDRINUSE`);
  });
});

describe("the default config on a headless machine", () => {
  it("passes vigil doctor: no desktop channel is a WARN that says where notifications go and how to add ntfy", async () => {
    const dir = makeTempHome();
    const env = cleanEnv(dir);
    expect(env.DISPLAY).toBeUndefined();
    expect(env.DBUS_SESSION_BUS_ADDRESS).toBeUndefined();
    expect(runVigil(["init"], env).code).toBe(0);

    const json = await runVigilAsync(["doctor", "--json"], env);
    const checks = JSON.parse(json.stdout) as Array<{ name: string; level: string; ok: boolean; detail: string; fix?: string }>;
    expect(checks.filter((check) => check.level === "fail")).toEqual([]);
    expect(json.code).toBe(0);
    expect(checks.find((check) => check.name === "notifiers")).toEqual({
      name: "notifiers",
      level: "warn",
      ok: true,
      detail: expect.stringMatching(/no display or D-Bus session bus.*the journal \(vigil log\) and the morning review \(vigil review\)/),
      fix: expect.stringContaining("notify.ntfy.topic"),
    });

    const text = await runVigilAsync(["doctor"], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^WARN notifiers: /m);
    expect(text.stdout).toMatch(/^ok {3}config: /m);
    expect(text.stdout).toMatch(/^0 failed, \d+ warning\(s\), \d+ ok$/m);
  });
});

describe("vigil status while the config file is broken", () => {
  it("reports the running daemon from its health endpoint and says the file does not load and will not be reloaded", async () => {
    const { home: dir, env } = home("server: { port: 0 }\nnotify: { desktop: false }\n");
    const daemon = await startDaemon(env);
    const file = path.join(dir, "config.yaml");
    writeFileSync(file, "server: { port: 0 }\nheartbeat:\n  tickSeconds: [oops\n");

    const json = runVigil(["status", "--json"], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ running: true, pid: daemon.child.pid, source: "healthz", http: { listening: true } });
    expect(report.config).toMatchObject({ file, loads: false, line: expect.any(Number), fix: expect.stringContaining("YAML") });
    expect(report.config.problem).toContain(`${file}:${report.config.line}: not valid YAML`);

    const text = runVigil(["status"], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`vigil is running (pid ${daemon.child.pid}`);
    expect(text.stdout).toContain(`config:         DOES NOT LOAD: ${file}:${report.config.line}`);
    expect(text.stdout).toContain("a reload (SIGHUP) will not pick this file up");
    expect(text.stdout).toContain("fix: correct the YAML syntax");

    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    const stopped = runVigil(["status"], env);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain("vigil is not running");
    expect(stopped.stdout).toContain("vigil start would refuse it (exit 78)");
  });
});

describe("run files left by a crash", () => {
  it("a clean stop removes run/http.json; after SIGKILL the files are stale (pid gone, or reused by another program) and ignored", async () => {
    const { home: dir, env } = home("server: { port: 0 }\nnotify: { desktop: false }\n");
    const first = await startDaemon(env);
    const httpFile = path.join(dir, "run", "http.json");
    const lockFile = path.join(dir, "run", "vigil.lock");
    expect(JSON.parse(readFileSync(httpFile, "utf8"))).toMatchObject({ pid: first.child.pid, listening: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    first.child.kill("SIGKILL");
    await first.exited;
    expect(existsSync(httpFile)).toBe(true);

    // The pid is gone: not running, no HTTP.
    const gone = runVigil(["status", "--json"], env);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stdout)).toMatchObject({ running: false, http: null });

    // The pid now belongs to another program (as after a reboot): still not Vigil.
    const other = spawn("sleep", ["60"], { stdio: "ignore" });
    children.push(other);
    const reuse = (file: string) => writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), pid: other.pid }));
    reuse(httpFile);
    reuse(lockFile);
    const reused = runVigil(["status", "--json"], env);
    expect(reused.code).toBe(1);
    expect(JSON.parse(reused.stdout)).toMatchObject({ running: false, http: null });
    // `vigil tell` must not signal it (SIGUSR2 would end the other program).
    expect(runVigil(["tell", "still there?"], env).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a signal, had one been sent, has been reaped by now
    expect(other.exitCode).toBeNull();
    expect(other.signalCode).toBeNull();

    // A new daemon takes over the lock and replaces the stale file with its own.
    const second = await startDaemon(env);
    expect(JSON.parse(readFileSync(httpFile, "utf8"))).toMatchObject({ pid: second.child.pid, listening: true });
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(existsSync(httpFile)).toBe(false);
    expect(existsSync(lockFile)).toBe(false);
  });
});
