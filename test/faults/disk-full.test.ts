import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, rmSync, writeSync, closeSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cleanEnv, runVigil, runVigilAsync, spawnVigil, waitFor } from "../support/run-vigil.js";

/** Fills the filesystem until it refuses another byte; returns the filler's path. */
function fill(dir: string): string {
  const filler = path.join(dir, "filler");
  const fd = openSync(filler, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
    try {
      for (;;) writeSync(fd, chunk, 0, 512); // the last crumbs
    } catch {
      // full
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe("fault: the disk fills up under a running daemon", () => {
  it("a clear error, no corruption, and recovery when space returns", async () => {
    // A small tmpfs of our own (CI runs as root); the daemon's whole VIGIL_HOME lives on it.
    const mountpoint = mkdtempSync(path.join(tmpdir(), "vigil-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mountpoint]);
    const home = path.join(mountpoint, "home");
    mkdirSync(home);
    writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\nnotify: { desktop: false }\nheartbeat: { tickSeconds: 0.1, settleMs: 50, idleWakeMinutes: 0, quietHours: null }\n");
    const env = cleanEnv(home, { VIGIL_LOG_LEVEL: "fatal" });
    const daemon = spawnVigil(["start"], env);
    try {
      const base = await waitFor(() => /http: listening on (\S+)/.exec(daemon.output().stderr)?.[1], 15_000, "the daemon");
      expect(runVigil(["tell", "before the disk fills"], env).code).toBe(0);
      const filler = fill(mountpoint);

      const refused = runVigil(["tell", "while the disk is full"], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/vigil: the disk is full: nothing was written/);
      expect(refused.stderr).not.toMatch(/at .*\.js:\d+/); // a sentence, not a stack trace
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await fetch(`${base}/healthz`)).status).toBe(200); // the daemon is still up

      rmSync(filler);
      expect(runVigil(["tell", "after space returns"], env).code).toBe(0);
      await waitFor(() => (new Database(path.join(home, "vigil.db"), { readonly: true }).prepare("SELECT count(*) FROM events WHERE state != 'done'").pluck().get() as number) === 0, 20_000, "the queue to drain");
      const db = new Database(path.join(home, "vigil.db"), { readonly: true });
      const integrity = db.pragma("integrity_check", { simple: true });
      const told = db.prepare("SELECT summary FROM events ORDER BY id").pluck().all();
      db.close();
      const verify = await runVigilAsync(["log", "verify"], env);
      console.log(`disk full: tell refused with exit ${refused.code}, integrity ${integrity}, log verify exit ${verify.code}, events ${JSON.stringify(told)}`);
      expect(integrity).toBe("ok");
      expect(verify.code).toBe(0);
      expect(told).toEqual(["before the disk fills", "after space returns"]);
      expect(daemon.child.exitCode).toBeNull();
    } finally {
      daemon.child.kill("SIGTERM");
      await daemon.exited;
      execFileSync("umount", ["-l", mountpoint]);
      rmSync(mountpoint, { recursive: true, force: true });
    }
  });
});

describe("fault: the filesystem under VIGIL_HOME turns read-only", () => {
  it("every verb says so in a sentence, nothing is corrupted, and all works again once it is writable", async () => {
    const mountpoint = mkdtempSync(path.join(tmpdir(), "vigil-ro-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mountpoint]);
    const home = path.join(mountpoint, "home");
    mkdirSync(home);
    writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\nnotify: { desktop: false }\nheartbeat: { tickSeconds: 0.1, settleMs: 50, idleWakeMinutes: 0, quietHours: null }\n");
    const env = cleanEnv(home, { VIGIL_LOG_LEVEL: "fatal" });
    try {
      expect(runVigil(["tell", "before"], env).code).toBe(0);
      execFileSync("mount", ["-o", "remount,ro", mountpoint]);

      const tell = runVigil(["tell", "while read-only"], env);
      const start = runVigil(["start", "--once"], env);
      for (const result of [tell, start]) {
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/vigil: the database (cannot|could not) be written \((SQLITE_READONLY|SQLITE_CANTOPEN|EROFS)[A-Z_]*\)/);
        expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
      }

      execFileSync("mount", ["-o", "remount,rw", mountpoint]);
      expect(runVigil(["tell", "after"], env).code).toBe(0);
      expect((await runVigilAsync(["start", "--once"], env)).code).toBe(0);
      const db = new Database(path.join(home, "vigil.db"), { readonly: true });
      const integrity = db.pragma("integrity_check", { simple: true });
      const told = db.prepare("SELECT summary FROM events ORDER BY id").pluck().all();
      db.close();
      const verify = await runVigilAsync(["log", "verify"], env);
      console.log(`read-only: tell exit ${tell.code}, start exit ${start.code}, integrity ${integrity}, log verify exit ${verify.code}, events ${JSON.stringify(told)}`);
      expect(integrity).toBe("ok");
      expect(verify.code).toBe(0);
      expect(told).toEqual(["before", "after"]);
    } finally {
      execFileSync("umount", ["-l", mountpoint]);
      rmSync(mountpoint, { recursive: true, force: true });
    }
  });
});
