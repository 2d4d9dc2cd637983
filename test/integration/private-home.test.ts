import { chmodSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startMessagesApiServer, toolUse, type MessagesApiServer } from "../support/messages-api-server.js";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigil, runVigilAsync, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";

let server: MessagesApiServer | undefined;
const daemons: RunningVigil[] = [];
afterEach(async () => {
  for (const daemon of daemons.splice(0)) daemon.child.kill("SIGKILL");
  await server?.close();
  server = undefined;
});

/** Every path under `root` with its permission bits, symlinks not followed. */
function walkModes(root: string, relative = ""): Array<{ path: string; mode: string; dir: boolean }> {
  const stat = lstatSync(path.join(root, relative));
  const here = { path: relative || ".", mode: (stat.mode & 0o777).toString(8), dir: stat.isDirectory() };
  if (!stat.isDirectory()) return [here];
  return [here, ...readdirSync(path.join(root, relative)).flatMap((name) => walkModes(root, path.join(relative, name)))];
}

function expectPrivate(home: string) {
  const entries = walkModes(home);
  expect(entries.filter((entry) => entry.mode !== (entry.dir ? "700" : "600"))).toEqual([]);
  return entries.map((entry) => entry.path);
}

describe("everything under VIGIL_HOME is the user's alone", () => {
  it("a day of activity under umask 022: database, WAL and SHM, logs, memory, outbox, run files are 0700/0600", async () => {
    server = await startMessagesApiServer();
    const parent = makeTempHome();
    const home = path.join(parent, "share", "vigil"); // a fresh home, created by Vigil itself
    const workspace = makeTempHome("vigil-ws-");
    writeFileSync(path.join(workspace, "notes.txt"), "the user's own file\n");
    const env = cleanEnv(home, { HOME: parent, ANTHROPIC_API_KEY: "sk-test-loopback", ANTHROPIC_BASE_URL: server.url });
    const init = spawnVigil(["init"], env, { umask: "022" });
    expect(await init.exited).toBe(0);
    writeFileSync(
      path.join(home, "config.yaml"),
      `heartbeat: { tickSeconds: 0.1, idleWakeMinutes: 0, settleMs: 100, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\ntools: { workspace: ["${workspace}"], policy: { write_file: auto } }\n`,
    );
    const daemon = spawnVigil(["start"], env, { umask: "022" });
    daemons.push(daemon);
    await waitFor(() => daemon.output().stderr.includes("provider: anthropic"), 15_000, "daemon start");
    server.script(
      toolUse("memory_write", { topic: "plants", title: "Plants", hook: "the user waters plants on Mondays", type: "user", content: "Water them on Mondays." }),
      toolUse("deliver_file", { name: "summary.md", content: "# The day\n" }),
      toolUse("notify", { title: "Done", body: "watered" }),
      toolUse("write_file", { path: path.join(workspace, "todo.txt"), content: "water plants\n" }),
      toolUse("stay_quiet", { reason: "done for today" }),
    );
    expect((await runVigilAsync(["tell", "remember: plants on Mondays"], env)).code).toBe(0);
    await waitFor(() => runVigil(["log", "--grep", "done for today"], env).stdout.includes("done for today"), 20_000, "the turn").catch((error) => {
      console.log(runVigil(["log"], env).stdout, daemon.output().stderr);
      throw error;
    });
    // While the daemon runs: the WAL and shared-memory files exist, and are private too.
    const running = expectPrivate(home);
    expect(running).toEqual(expect.arrayContaining(["vigil.db", "vigil.db-wal", "vigil.db-shm", "config.yaml", "run", path.join("run", "vigil.lock"), path.join("run", "http.json"), "memory", path.join("memory", "MEMORY.md"), path.join("memory", "topics", "plants.md"), "outbox", "logs"]));
    expect(running.some((entry) => entry.startsWith(path.join("outbox", "")) && entry.endsWith("summary.md"))).toBe(true);
    expect(running.some((entry) => /^logs\/\d{4}\/\d{2}\/\d{4}-\d{2}-\d{2}\.md$/.test(entry))).toBe(true);
    expect((await runVigilAsync(["review"], env)).code).toBe(0);
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    expectPrivate(home);
    // The user's own workspace is not Vigil's home: a file written there keeps the usual mode.
    expect((lstatSync(path.join(workspace, "todo.txt")).mode & 0o777).toString(8)).toBe("644");
  });

  it("an existing home with wider modes: doctor names them with the fix, start tightens them and journals it", async () => {
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\nnotify: { desktop: false }\n");
    expect(runVigil(["tell", "hello"], cleanEnv(home)).code).toBe(0);
    writeFileSync(path.join(home, "service.env"), "GITHUB_TOKEN=ghp_x\n");
    mkdirSync(path.join(home, "outbox", "2026-01-01"), { recursive: true });
    chmodSync(path.join(home, "outbox"), 0o755);
    chmodSync(path.join(home, "outbox", "2026-01-01"), 0o775);
    for (const file of ["vigil.db", "service.env", "config.yaml"]) chmodSync(path.join(home, file), 0o644);
    chmodSync(home, 0o755);

    const doctor = await runVigilAsync(["doctor", "--json"], cleanEnv(home));
    const modes = (JSON.parse(doctor.stdout) as Array<{ name: string; ok: boolean; detail: string; fix?: string }>).find((check) => check.name === "file modes");
    expect(modes).toMatchObject({ ok: false, detail: expect.stringMatching(/\d path\(s\) readable by other accounts: .*is 0755/), fix: `chmod -R go-rwx ${home} (vigil start also does this, and journals it)` });
    expect(doctor.code).toBe(1);

    expect(runVigil(["start", "--once"], cleanEnv(home)).code).toBe(0);
    expectPrivate(home);
    const rows = runVigil(["log", "--json"], cleanEnv(home)).stdout.trim().split("\n").map((line) => JSON.parse(line));
    const tightened = rows.find((row) => row.data.event === "modes-tightened");
    expect(tightened.data.count).toBe(6);
    expect(tightened.data.changes).toEqual(expect.arrayContaining([{ path: ".", from: "0755", to: "0700" }, { path: "vigil.db", from: "0644", to: "0600" }, { path: "service.env", from: "0644", to: "0600" }, { path: path.join("outbox", "2026-01-01"), from: "0775", to: "0700" }]));
    expect(tightened.summary).toMatch(/^made 6 path\(s\) under .* private/);
    const again = await runVigilAsync(["doctor", "--json"], cleanEnv(home));
    expect((JSON.parse(again.stdout) as Array<{ name: string; ok: boolean }>).find((check) => check.name === "file modes")).toMatchObject({ ok: true });
  });
});
