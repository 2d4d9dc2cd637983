import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { localDateParts } from "../../logs/local-day.js";
import { openTestJournal } from "../support/open-test-journal.js";
import { cleanEnv, runVigil, spawnVigil, VIGIL_BIN, waitFor } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

const TZ = "Pacific/Auckland"; // far from the tests' UTC, so a UTC time in the listing would show
const HOUR = 3_600_000;

/** A home whose journal has rows at known times before now, in a zone far from UTC. */
function seededHome(extraRows = 0) {
  const home = makeTempHome();
  writeFileSync(path.join(home, "config.yaml"), `timezone: ${TZ}\n`);
  const now = Date.now();
  let at = 0;
  const { db, journal } = openTestJournal(home, { timeZone: TZ, now: () => new Date(at) });
  const rows: Array<[number, string, Record<string, unknown>]> = [
    [now - 30 * HOUR, "a day-old reminder", { source: "user" }],
    [now - 3 * HOUR, "pull request octo/app#42 opened", { source: "github" }],
    [now - HOUR, "notes.md changed\nline two of the summary", { source: "files" }],
    [now - 10 * 60_000, "the latest thing", { source: "user" }],
  ];
  for (const [time, summary, data] of rows) {
    at = time;
    journal.append({ kind: "noticed", summary, data });
  }
  at = now - 5 * 60_000;
  for (let i = 0; i < extraRows; i++) journal.append({ kind: "system", summary: `filler row ${i} ${"x".repeat(80)}`, data: {} });
  db.close();
  return { home, env: cleanEnv(home), times: rows.map(([time]) => time) };
}

const local = (time: number) => localDateParts(new Date(time), TZ).time;

describe("vigil log as a person reads it", () => {
  it("on a TTY: coloured, local time, day headings, no Markdown; in a pipe the same text without colour", () => {
    const { env, times } = seededHome();
    // A real pseudo-terminal: script(1) runs the binary with its stdout on a TTY.
    const tty = spawnSync("script", ["-qec", `${process.execPath} ${VIGIL_BIN} log`, "/dev/null"], { env, encoding: "utf8", timeout: 30_000 });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(/\u001b\[36mnoticed\u001b\[39m/);
    expect(tty.stdout).toContain(local(times[1]!));
    expect(tty.stdout).not.toContain("**");
    const piped = runVigil(["log"], env).stdout;
    expect(piped).not.toContain("\u001b[");
    expect(piped).toContain(`── `);
    expect(piped).toContain(`${local(times[2]!)} noticed notes.md changed #3\n                 line two of the summary\n`);
    expect(runVigil(["log"], { ...env, NO_COLOR: "1", FORCE_COLOR: undefined }).stdout).not.toContain("\u001b[");
  });

  it("-n, --since, --until and --source pick the rows; a bad time is a usage error", () => {
    const { env } = seededHome();
    const seqs = (args: string[]) => runVigil(["log", "--json", ...args], env).stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line).seq);
    expect(seqs(["-n", "2"])).toEqual([3, 4]);
    expect(seqs(["--since", "2h"])).toEqual([3, 4]);
    expect(seqs(["--since", "4h", "--until", "30m"])).toEqual([2, 3]);
    expect(seqs(["--since", new Date(Date.now() - 2 * HOUR).toISOString()])).toEqual([3, 4]);
    expect(seqs(["--since", "yesterday"])).toContain(2);
    expect(seqs(["--source", "github"])).toEqual([2]);
    expect(seqs(["--source", "user", "-n", "1"])).toEqual([4]);
    const bad = runVigil(["log", "--since", "last tuesday"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since "last tuesday" is not a time: use a span back from now (30m, 2h, 3d)');
    expect(runVigil(["log", "-n", "many"], env).code).toBe(2);
  });

  it("-f prints new rows as they are appended and ends on Ctrl-C", async () => {
    const { home, env } = seededHome();
    const follow = spawnVigil(["log", "-f", "-n", "1"], env);
    await waitFor(() => follow.output().stdout.includes("the latest thing"), 15_000, "the initial listing");
    const { db, journal } = openTestJournal(home, { timeZone: TZ });
    journal.append({ kind: "error", summary: "something new went wrong", data: {} });
    db.close();
    await waitFor(() => follow.output().stdout.includes("something new went wrong"), 10_000, "the followed row");
    expect(follow.output().stdout).not.toContain("a day-old reminder");
    follow.child.kill("SIGINT");
    expect(await follow.exited).toBe(0);
  });

  it("every verb survives a closed pipe: `vigil log --json | head -1`", () => {
    const { env } = seededHome(3000);
    for (const args of ["log --json", "log", "status --json"]) {
      const piped = spawnSync("bash", ["-c", `set -o pipefail; ${process.execPath} ${VIGIL_BIN} ${args} | head -c 10 >/dev/null`], { env, encoding: "utf8", timeout: 30_000 });
      expect(piped.stderr, args).not.toMatch(/EPIPE|Error/);
      // status exits 1 (no daemon) whatever the pipe does; the log verbs succeed.
      expect(piped.status, args).toBe(args.startsWith("status") ? 1 : 0);
    }
  });

  it("status prints local times", () => {
    const { env, times } = seededHome();
    const status = runVigil(["status"], env);
    expect(status.stdout).toContain(`last entry:     #4 today ${local(times[3]!)} noticed: the latest thing`);
  });
});
