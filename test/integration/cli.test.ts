import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, ROOT, runVigil, spawnVigil, waitFor } from "../support/run-vigil.js";

function journalLines(home: string): Array<Record<string, unknown>> {
  const result = runVigil(["log", "--json"], cleanEnv(home));
  expect(result.code).toBe(0);
  return result.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("the vigil CLI, end to end through the built binary", () => {
  it("unknown verbs and flags are usage errors (exit 2)", () => {
    const home = makeTempHome();
    expect(runVigil(["frobnicate"], cleanEnv(home)).code).toBe(2);
    expect(runVigil(["status", "--frob"], cleanEnv(home)).code).toBe(2);
    expect(runVigil(["log", "--day", "31-12-2026"], cleanEnv(home)).code).toBe(2);
    expect(runVigil(["log", "--kind", "gossip"], cleanEnv(home)).code).toBe(2);
    expect(runVigil([], cleanEnv(home)).code).toBe(2);
    expect(runVigil(["--help"], cleanEnv(home)).code).toBe(0);
    expect(runVigil(["--version"], cleanEnv(home)).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // main.js, which service files written before the bundle name, runs the same CLI.
    const viaMainJs = spawnSync(process.execPath, [path.join(ROOT, "dist/daemon/cli/main.js"), "status", "--json"], { env: cleanEnv(home), encoding: "utf8" });
    expect([viaMainJs.status, JSON.parse(viaMainJs.stdout).home]).toEqual([1, home]);
  });

  it("init writes a commented config once, and --force rewrites it", () => {
    const home = makeTempHome();
    const env = cleanEnv(home);
    expect(runVigil(["init"], env).code).toBe(0);
    const file = path.join(home, "config.yaml");
    expect(readFileSync(file, "utf8")).toMatch(/^# Vigil configuration/);
    writeFileSync(file, "# mine\n");
    const again = runVigil(["init"], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--force");
    expect(readFileSync(file, "utf8")).toBe("# mine\n");
    expect(runVigil(["init", "--force"], env).code).toBe(0);
    expect(readFileSync(file, "utf8")).toMatch(/^# Vigil configuration/);
    expect(runVigil(["status"], env).code).toBe(1); // the written config is valid; the daemon is just not running
  });

  it("tell queues a trusted event and journals it as noticed", () => {
    const home = makeTempHome();
    const result = runVigil(["tell", "review", "PR", "42", "today"], cleanEnv(home));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/queued event 1/);
    const [entry] = journalLines(home);
    expect(entry).toMatchObject({ seq: 1, kind: "noticed", summary: "user/message: review PR 42 today", data: { eventId: 1, source: "user" } });
    expect(Object.keys(entry!)).toEqual(["seq", "ts", "day", "kind", "summary", "data", "prevHash", "hash"]);
    const status = JSON.parse(runVigil(["status", "--json"], cleanEnv(home)).stdout);
    expect(status).toMatchObject({ running: false, pendingEvents: 1 });
    expect(runVigil(["tell"], cleanEnv(home)).code).toBe(2);
  });

  it("tell and status load only what they need: no yaml, zod, pino, node-cron, SDK or octokit, and no Intl with no zone configured", () => {
    const home = makeTempHome();
    const probe = path.join(home, "probe.txt");
    const env = cleanEnv(home, { NODE_OPTIONS: `--import ${path.join(ROOT, "test/support/load-probe.mjs")}`, VIGIL_LOAD_PROBE: probe });
    expect(runVigil(["tell", "warm the config cache"], cleanEnv(home)).code).toBe(0);
    for (const args of [["tell", "hello"], ["status"]]) {
      rmSync(probe, { force: true });
      expect(runVigil(args, env).code).toBe(args[0] === "tell" ? 0 : 1);
      const loaded = readFileSync(probe, "utf8");
      // Packages come from node_modules (better-sqlite3, a native addon) or from the build's vendor-NAME chunks.
      const packages = new Set([...loaded.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\/|\/bundle\/vendor-(.+)-[\w-]{8}\.cjs$/gm)].map((match) => match[1] ?? match[2]));
      expect([...packages].sort()).toEqual(["better-sqlite3", "bindings", "commander", "env-paths", "file-uri-to-path"]);
      expect(loaded).toContain("\nintl 0\n");
    }
    // With a zone configured, it is used as ever.
    writeFileSync(path.join(home, "config.yaml"), "timezone: Pacific/Auckland\n");
    expect(runVigil(["status"], cleanEnv(home)).code).toBe(1);
    rmSync(probe);
    expect(runVigil(["status"], env).code).toBe(1);
    expect(readFileSync(probe, "utf8")).not.toContain("\nintl 0\n");
  });

  it("the bundle is ASCII, so V8 keeps each chunk's source as a one-byte string (half the memory)", () => {
    const dir = path.join(ROOT, "dist/daemon/cli/bundle");
    const chunks = [path.join(ROOT, "dist/daemon/cli/main.cjs"), ...readdirSync(dir).map((file) => path.join(dir, file))];
    expect(chunks.filter((file) => /[^\x00-\x7f]/.test(readFileSync(file, "latin1")))).toEqual([]);
    // Escaped in the source, the same characters on the screen: `vigil log`'s day header.
    const env = cleanEnv(makeTempHome());
    expect(runVigil(["tell", "hello"], env).code).toBe(0);
    expect(runVigil(["log"], env).stdout).toMatch(/^── \w{3} \d{4}-\d{2}-\d{2} ──$/m);
  });

  it("an unknown VIGIL_LOG_LEVEL is still a usage error for a verb that logs nothing", () => {
    const result = runVigil(["tell", "hello"], cleanEnv(makeTempHome(), { VIGIL_LOG_LEVEL: "chatty" }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("VIGIL_LOG_LEVEL");
  });

  it("log filters by day, kind and text", () => {
    const home = makeTempHome();
    const env = cleanEnv(home);
    runVigil(["tell", "water the plants"], env);
    runVigil(["start", "--once"], env);
    runVigil(["tell", "call the bank"], env);
    // --once with a pending tell runs one turn: with no key, the rules provider leaves it for review.
    expect(journalLines(home).map((entry) => entry.kind)).toEqual(["noticed", "system", "quiet", "system", "noticed"]);

    const byKind = runVigil(["log", "--kind", "system", "--json"], env).stdout.trim().split("\n");
    expect(byKind).toHaveLength(2);
    const byText = runVigil(["log", "--grep", "BANK"], env);
    expect(byText.stdout).toContain("call the bank");
    expect(byText.stdout).not.toContain("plants");
    expect(runVigil(["log", "--day", "today", "--json"], env).stdout.trim().split("\n")).toHaveLength(5);
    expect(runVigil(["log", "--day", "yesterday", "--json"], env).stdout).toBe("");
    expect(runVigil(["log", "--day", "2001-01-01"], env).stderr).toContain("no journal entries");
  });

  it("start holds a single-instance lock, reports status, and stops cleanly on SIGTERM", async () => {
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\n"); // tests run in parallel: no fixed port
    const env = cleanEnv(home);
    const daemon = spawnVigil(["start"], env);
    await waitFor(() => daemon.output().stderr.includes("running (pid"), 15_000, "daemon start");
    expect(daemon.output().stderr).toMatch(/provider: rules/);

    const second = runVigil(["start"], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`pid ${daemon.child.pid}`);

    const status = runVigil(["status", "--json"], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, pid: daemon.child.pid });

    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    expect(existsSync(path.join(home, "run", "vigil.lock"))).toBe(false);
    const entries = journalLines(home);
    expect(entries.map((entry) => (entry.data as { event: string }).event)).toEqual(["started", "stopped"]);
    expect(entries[0]!.data).toMatchObject({ version: expect.any(String), configHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(entries[1]!.summary).toContain("SIGTERM");
    expect(runVigil(["status"], env).code).toBe(1);
  });

  it("SIGINT stops it too", async () => {
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\n");
    const daemon = spawnVigil(["start"], cleanEnv(home));
    await waitFor(() => daemon.output().stderr.includes("running (pid"), 15_000, "daemon start");
    daemon.child.kill("SIGINT");
    expect(await daemon.exited).toBe(0);
    expect(journalLines(home).at(-1)!.summary).toContain("SIGINT");
  });

  it("a stale lock from a dead pid is taken over", () => {
    const home = makeTempHome();
    mkdirSync(path.join(home, "run"), { recursive: true });
    // A pid far above any pid_max: certainly not running.
    writeFileSync(path.join(home, "run", "vigil.lock"), JSON.stringify({ pid: 99_999_999, startedAt: "2026-01-01T00:00:00Z", version: "0.0.1" }));
    const result = runVigil(["start", "--once"], cleanEnv(home));
    expect(result.code).toBe(0);
    expect(journalLines(home).map((entry) => entry.kind)).toEqual(["system", "system"]);
  });

  it("the daily Markdown log is appended as rows arrive and rebuilt when missing", () => {
    const home = makeTempHome();
    const env = cleanEnv(home);
    runVigil(["tell", "first"], env);
    const day = journalLines(home)[0]!.day as string;
    const file = path.join(home, "logs", day.slice(0, 4), day.slice(5, 7), `${day}.md`);
    expect(readFileSync(file, "utf8")).toMatch(/^# Vigil journal — \d{4}-\d{2}-\d{2}\n\n- \d\d:\d\d:\d\d \*\*noticed\*\* user\/message: first `#1`\n$/);
    rmSync(file);
    runVigil(["tell", "second"], env);
    const rebuilt = readFileSync(file, "utf8");
    expect(rebuilt).toContain("user/message: first `#1`");
    expect(rebuilt).toContain("user/message: second `#2`");
  });
});
