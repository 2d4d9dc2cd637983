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

/** VIGIL_HOME on a small tmpfs of our own (CI runs as root), with a fast daemon config. */
function mountHome(size: string, prefix: string) {
  const mountpoint = mkdtempSync(path.join(tmpdir(), prefix));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", mountpoint]);
  const home = path.join(mountpoint, "home");
  mkdirSync(home);
  writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\nnotify: { desktop: false }\nheartbeat: { tickSeconds: 0.1, settleMs: 50, idleWakeMinutes: 0, quietHours: null }\n");
  const unmount = () => {
    execFileSync("umount", ["-l", mountpoint]);
    rmSync(mountpoint, { recursive: true, force: true });
  };
  return { mountpoint, home, env: cleanEnv(home, { VIGIL_LOG_LEVEL: "fatal" }), unmount };
}

/** What survived: SQLite's own integrity check, the events in order, and the hash chain. */
async function inspect(home: string, env: NodeJS.ProcessEnv) {
  const db = new Database(path.join(home, "vigil.db"), { readonly: true });
  const integrity = db.pragma("integrity_check", { simple: true });
  const told = db.prepare("SELECT summary FROM events ORDER BY id").pluck().all();
  db.close();
  const verify = await runVigilAsync(["log", "verify"], env);
  return { integrity, told, verify };
}

describe("fault: the disk fills up under a running daemon", () => {
  it("a clear error, no corruption, and recovery when space returns", async () => {
    const { mountpoint, home, env, unmount } = mountHome("8m", "vigil-full-");
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
      const { integrity, told, verify } = await inspect(home, env);
      console.log(`disk full: tell refused with exit ${refused.code}, integrity ${integrity}, log verify exit ${verify.code}, events ${JSON.stringify(told)}`);
      expect(integrity).toBe("ok");
      expect(verify.code).toBe(0);
      expect(told).toEqual(["before the disk fills", "after space returns"]);
      expect(daemon.child.exitCode).toBeNull();
    } finally {
      daemon.child.kill("SIGTERM");
      await daemon.exited;
      unmount();
    }
  });
});

describe("fault: the filesystem under VIGIL_HOME turns read-only", () => {
  it("every verb says so in a sentence, nothing is corrupted, and all works again once it is writable", async () => {
    const { mountpoint, home, env, unmount } = mountHome("16m", "vigil-ro-");
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
      const { integrity, told, verify } = await inspect(home, env);
      console.log(`read-only: tell exit ${tell.code}, start exit ${start.code}, integrity ${integrity}, log verify exit ${verify.code}, events ${JSON.stringify(told)}`);
      expect(integrity).toBe("ok");
      expect(verify.code).toBe(0);
      expect(told).toEqual(["before", "after"]);
    } finally {
      unmount();
    }
  });
});
