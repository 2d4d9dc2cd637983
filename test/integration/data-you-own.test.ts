import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { extract } from "tar";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../daemon/store/open-database.js";
import { MIGRATIONS } from "../../daemon/context/migrations.js";
import { verifyChain } from "../../logs/verify-chain.js";
import { startNtfyRecorder, type NtfyRecorder } from "../support/ntfy-recorder.js";
import { cleanEnv, runVigil, runVigilAsync, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

const daemons: RunningVigil[] = [];
const servers: NtfyRecorder[] = [];
afterEach(async () => {
  for (const daemon of daemons.splice(0)) daemon.child.kill("SIGKILL");
  for (const server of servers.splice(0)) await server.close();
});

const rows = (env: NodeJS.ProcessEnv, args: string[] = []) => runVigil(["log", "--json", ...args], env).stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line));

describe("data you own", () => {
  it("vigil backup: one archive with a consistent copy of the live database, memory and config", async () => {
    const home = makeTempHome();
    const config = "heartbeat: { tickSeconds: 0.2, idleWakeMinutes: 0, settleMs: 50, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\n";
    writeFileSync(path.join(home, "config.yaml"), config);
    mkdirSync(path.join(home, "memory", "topics"), { recursive: true });
    writeFileSync(path.join(home, "memory", "MEMORY.md"), "- [Plants](topics/plants.md) — water on Sundays\n");
    writeFileSync(path.join(home, "memory", "topics", "plants.md"), "Water them on Sundays.\n");
    const env = cleanEnv(home);
    const daemon = spawnVigil(["start"], env);
    daemons.push(daemon);
    await waitFor(() => daemon.output().stderr.includes("provider: rules"), 15_000, "daemon start");
    for (const text of ["one", "two", "three"]) runVigil(["tell", text], env);

    const archive = path.join(makeTempHome(), "backup.tar.gz");
    const backup = await runVigilAsync(["backup", archive], env);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^wrote ${archive} \\(0600\\): vigil\\.db, memory, config\\.yaml; \\d+ journal row\\(s\\)\\n$`));
    expect(statSync(archive).mode & 0o777).toBe(0o600);

    const out = makeTempHome();
    await extract({ file: archive, cwd: out });
    const copy = openDatabase(path.join(out, "vigil.db"), MIGRATIONS);
    const verdict = verifyChain(copy);
    const summaries = copy.prepare<[], { summary: string }>("SELECT summary FROM journal WHERE kind = 'noticed'").all().map((row) => row.summary);
    copy.close();
    expect(verdict.ok).toBe(true);
    expect(summaries).toEqual(["user/message: one", "user/message: two", "user/message: three"]);
    expect(readFileSync(path.join(out, "memory", "topics", "plants.md"), "utf8")).toBe("Water them on Sundays.\n");
    expect(readFileSync(path.join(out, "config.yaml"), "utf8")).toBe(config);
  });

  it("vigil export: the journal as JSON Lines or Markdown, --since filtering", () => {
    const home = makeTempHome();
    const env = cleanEnv(home);
    runVigil(["tell", "first thing"], env);
    runVigil(["tell", "second thing"], env);
    const json = runVigil(["export", "--json"], env).stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(json.map((entry) => entry.summary)).toEqual(["user/message: first thing", "user/message: second thing"]);
    expect(json[1]).toMatchObject({ seq: 2, kind: "noticed", prevHash: json[0].hash });
    const md = runVigil(["export"], env).stdout;
    expect(md).toMatch(/^# Vigil journal — \d{4}-\d{2}-\d{2}\n\n- \d\d:\d\d:\d\d \*\*noticed\*\* user\/message: first thing `#1`\n/);
    expect(runVigil(["export", "--json", "--since", new Date(Date.now() + 60_000).toISOString()], env).stdout).toBe("");
    expect(runVigil(["export", "--json", "--md"], env).code).toBe(2);
  });

  it("retention drops old transcripts, outbox files and memory versions, never a journal row", () => {
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\nnotify: { desktop: false }\nretention: { transcriptsDays: 7, outboxDays: 7, memoryVersions: 2 }\n");
    const env = cleanEnv(home);
    runVigil(["tell", "keep me in the journal"], env);
    const old = new Date(Date.now() - 30 * 86_400_000);
    const db = openDatabase(path.join(home, "vigil.db"), MIGRATIONS);
    const insert = db.prepare("INSERT INTO transcripts (turn_id, ts, day, body) VALUES (?, ?, ?, ?)");
    insert.run("old-turn", old.toISOString(), old.toISOString().slice(0, 10), "user: an old conversation about zebras");
    insert.run("new-turn", new Date().toISOString(), new Date().toISOString().slice(0, 10), "user: a fresh conversation about yaks");
    for (let i = 0; i < 5; i++) db.prepare("INSERT INTO memory_versions (ts, reason, files) VALUES (?, ?, ?)").run(old.toISOString(), `v${i}`, "{}");
    const delivery = db.prepare("INSERT INTO webhook_deliveries (id, event, received_at) VALUES (?, 'push', ?)");
    delivery.run("month-old", new Date(Date.now() - 31 * 86_400_000).toISOString());
    delivery.run("last-week", new Date(Date.now() - 7 * 86_400_000).toISOString());
    db.close();
    mkdirSync(path.join(home, "outbox"), { recursive: true });
    writeFileSync(path.join(home, "outbox", "old-report.md"), "old");
    utimesSync(path.join(home, "outbox", "old-report.md"), old, old);
    writeFileSync(path.join(home, "outbox", "new-report.md"), "new");
    const before = rows(env);

    expect(runVigil(["start", "--once"], env).code).toBe(0);
    const after = rows(env);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.find((entry) => entry.data.event === "retention")?.summary).toBe("retention: dropped 1 transcript(s), 1 outbox file(s), 3 old memory version(s), 1 webhook delivery id(s) older than 30 days");
    expect(runVigil(["log", "verify"], env).code).toBe(0);
    expect(existsSync(path.join(home, "outbox", "old-report.md"))).toBe(false);
    expect(existsSync(path.join(home, "outbox", "new-report.md"))).toBe(true);
    expect(runVigil(["memory", "search", "zebras"], env).code).toBe(1);
    expect(runVigil(["memory", "search", "yaks"], env).code).toBe(0);
    const check = openDatabase(path.join(home, "vigil.db"), MIGRATIONS);
    expect(check.prepare<[], { reason: string }>("SELECT reason FROM memory_versions ORDER BY version").all().map((row) => row.reason)).toEqual(["v3", "v4"]);
    // A week-old delivery can still be redelivered (GitHub Enterprise Server: 7 days): its id is kept.
    expect(check.prepare<[], { id: string }>("SELECT id FROM webhook_deliveries").all().map((row) => row.id)).toEqual(["last-week"]);
    check.close();
  });

  it("vigil notify --test goes through every configured channel and says which worked", async () => {
    const good = await startNtfyRecorder();
    const bad = await startNtfyRecorder(500);
    servers.push(good, bad);
    const home = makeTempHome();
    const env = cleanEnv(home);
    const file = path.join(home, "config.yaml");
    writeFileSync(file, `notify: { desktop: false, ntfy: { server: "${good.url}", topic: vigil-me } }\n`);
    const ok = await runVigilAsync(["notify", "--test"], env);
    expect(ok).toMatchObject({ code: 0, stdout: "ok    ntfy: delivered\n" });
    expect(good.received[0]!.body).toMatchObject({ topic: "vigil-me", title: "Vigil test" });
    writeFileSync(file, `notify: { desktop: false, ntfy: { server: "${bad.url}", topic: vigil-me } }\n`);
    const failing = await runVigilAsync(["notify", "--test"], env);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("FAIL  ntfy: ntfy answered HTTP 500");
    writeFileSync(file, "notify: { desktop: false }\n");
    expect(runVigil(["notify", "--test"], env)).toMatchObject({ code: 1, stderr: expect.stringContaining("no notification channel is configured") });
    expect(runVigil(["notify"], env).code).toBe(2);
  });
});
