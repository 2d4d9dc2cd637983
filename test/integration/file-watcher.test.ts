import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFileWatcher, type FileWatcher } from "../../daemon/sources/file-watcher.js";
import { noticeEvent } from "../../daemon/events/notice-event.js";
import { startHarness, type Harness } from "../support/daemon-harness.js";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigilAsync, spawnVigil, waitFor } from "../support/run-vigil.js";

const watchers: FileWatcher[] = [];
afterEach(async () => {
  for (const watcher of watchers.splice(0)) await watcher.close();
});

async function watching(h: Harness, roots: Array<{ path: string; ignore?: string[] }>, coalesceMs = 300) {
  const watcher = createFileWatcher({ notice: (event) => noticeEvent(h.ctx, event), journal: h.ctx.journal, logger: h.ctx.logger, vigilHome: h.home, coalesceMs });
  watchers.push(watcher);
  await watcher.setRoots(roots.map((root) => ({ ignore: [], ...root })));
  return watcher;
}

const fileEvents = (h: Harness) =>
  (h.ctx.db.prepare("SELECT type, summary, payload FROM events WHERE source = 'files' ORDER BY id").all() as Array<{ type: string; summary: string; payload: string }>).map((row) => ({ ...row, payload: JSON.parse(row.payload) }));

const settle = () => new Promise((resolve) => setTimeout(resolve, 1200));

describe("the files source, with real chokidar on temp trees", () => {
  it("50 rapid writes to one file are one event, with an excerpt of what changed", async () => {
    const h = await startHarness();
    const root = makeTempHome("vigil-watch-");
    writeFileSync(path.join(root, "notes.md"), "first line\n");
    await watching(h, [{ path: root }]);
    for (let i = 0; i < 50; i++) writeFileSync(path.join(root, "notes.md"), `first line\nTODO: call the bank ${i}\n`);
    await waitFor(() => fileEvents(h).length > 0, 10_000, "a file event");
    await settle();
    const events = fileEvents(h);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "file.change", summary: expect.stringMatching(/^notes\.md changed \(\d+ bytes\)$/) });
    expect(events[0]!.payload.excerpt).toContain("+ TODO: call the bank 49");
    expect(events[0]!.payload.excerpt).not.toContain("bank 48"); // one event for the burst, with its final content
  });

  it("ignored paths, the root's own globs, swap files and $VIGIL_HOME produce nothing", async () => {
    const h = await startHarness();
    const tree = makeTempHome("vigil-watch-");
    for (const dir of ["node_modules/pkg", ".git/objects", "dist", "build", "logs"]) mkdirSync(path.join(tree, dir), { recursive: true });
    await watching(h, [{ path: tree, ignore: ["logs/**", "**/*.log"] }]);
    await watching(h, [{ path: h.home }]); // a root that is VIGIL_HOME itself: still nothing from it
    for (const file of ["node_modules/pkg/index.js", ".git/objects/ab", "dist/out.js", "build/x.o", "logs/today.txt", "debug.log", ".notes.md.swp", "notes.md~", "4913"]) {
      writeFileSync(path.join(tree, file), "x");
    }
    writeFileSync(path.join(h.home, "outbox.txt"), "vigil's own write");
    h.ctx.journal.append({ kind: "system", summary: "a journal write renders Markdown under VIGIL_HOME" });
    writeFileSync(path.join(tree, "real.txt"), "a real change");
    await waitFor(() => fileEvents(h).length > 0, 10_000, "the real change");
    await settle();
    expect(fileEvents(h).map((event) => event.summary)).toEqual([expect.stringMatching(/^real\.txt created/)]);
  });

  it("a missing root is one clear error, and deleting a watched root does not crash", async () => {
    const h = await startHarness();
    const missing = path.join(makeTempHome(), "not-there");
    const root = makeTempHome("vigil-watch-");
    const watcher = await watching(h, [{ path: missing }, { path: root }]);
    await watcher.setRoots([{ path: missing, ignore: [] }, { path: root, ignore: [] }]);
    const errors = h.journal("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.summary).toContain(`watch root ${missing} does not exist`);
    rmSync(root, { recursive: true, force: true });
    await settle();
    mkdirSync(missing, { recursive: true });
    await watcher.setRoots([{ path: missing, ignore: [] }]);
    writeFileSync(path.join(missing, "after.txt"), "still alive");
    await waitFor(() => fileEvents(h).some((event) => event.summary.startsWith("after.txt")), 10_000, "an event after the root was deleted");
  });

  it("SIGHUP moves the daemon's watch to new roots without a restart", async () => {
    const home = makeTempHome();
    const first = makeTempHome("vigil-watch-");
    const second = makeTempHome("vigil-watch-");
    const config = (root: string) => `heartbeat: { tickSeconds: 3600 }\nserver: { port: 0 }\nwatch: [ { path: ${root} } ]\n`;
    writeFileSync(path.join(home, "config.yaml"), config(first));
    const env = cleanEnv(home);
    const daemon = spawnVigil(["start"], env);
    try {
      await waitFor(() => daemon.output().stderr.includes("running (pid"), 15_000, "daemon start");
      writeFileSync(path.join(home, "config.yaml"), config(second));
      daemon.child.kill("SIGHUP");
      const log = async () => (await runVigilAsync(["log"], env)).stdout;
      for (let i = 0; i < 200 && !(await log()).includes("config reloaded"); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      writeFileSync(path.join(first, "old.txt"), "no longer watched");
      writeFileSync(path.join(second, "new.txt"), "watched now");
      for (let i = 0; i < 200 && !(await log()).includes("new.txt created"); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const text = await log();
      expect(text).toContain("config reloaded: watching 1 root(s)");
      expect(text).toContain("files/file.add: new.txt created");
      expect(text).not.toContain("old.txt");
    } finally {
      daemon.child.kill("SIGTERM");
      await daemon.exited;
    }
  });
});
