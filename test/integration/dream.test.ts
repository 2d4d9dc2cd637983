import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createDreamJob } from "../../daemon/schedule/dream-job.js";
import { formatIndexLine } from "../../memory/memory-index.js";
import { readMemorySnapshot } from "../../memory/memory-snapshot.js";
import { createMemoryStore } from "../../memory/memory-store.js";
import { runDream, type DreamResult } from "../../memory/run-dream.js";
import { BASE_CONFIG, startHarness, type Harness } from "../support/daemon-harness.js";
import { text, toolUse, type ScriptedReply } from "../support/messages-api-server.js";
import { cleanEnv, runVigil, runVigilAsync, waitFor } from "../support/run-vigil.js";

const MEMORY_TOOLS = ["memory_search", "memory_read", "memory_write", "memory_delete", "memory_write_index"];

/** Memory with two topics that say the same thing, and enough new journal rows to pass the gate. */
async function startDreamHarness(config = BASE_CONFIG): Promise<Harness> {
  const h = await startHarness({ config, start: "2026-11-20T03:00:00Z" });
  const store = createMemoryStore(path.join(h.home, "memory"));
  store.write({ topic: "deploy-day", title: "Deploy day", hook: "deploys go out on Tuesdays", type: "project", content: "We deploy on Tuesdays." });
  store.write({ topic: "release-schedule", title: "Release schedule", hook: "releases are on Tuesday", type: "project", content: "Releases happen Tuesday; since yesterday also Thursday." });
  for (let i = 0; i < 25; i++) h.ctx.journal.append({ kind: "quiet", summary: `checked the build ${i}`, data: {} });
  return h;
}

const dream = (h: Harness, options: Parameters<typeof runDream>[1] = {}): Promise<DreamResult> => runDream({ ctx: h.ctx, usage: h.runtime.turn.usage, state: h.runtime.state }, options);
const memoryOf = (h: Harness) => readMemorySnapshot(path.join(h.home, "memory"));

/** The tool_result blocks the worker sent back in its last request. */
function toolResults(h: Harness): Array<{ content: string; is_error: boolean }> {
  return h.server.requests.at(-1)!.body.messages.at(-1)!.content as Array<{ content: string; is_error: boolean }>;
}

/** The dream worker of this home: a child of this process with the home in its environment. */
function findWorkerPid(home: string): number | undefined {
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes("dream-worker.js") && readFileSync(`/proc/${entry}/environ`, "utf8").includes(`VIGIL_HOME=${home}\0`)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

const mergeScript: ScriptedReply[] = [
  toolUse("memory_read", { topic: "deploy-day" }),
  toolUse("memory_read", { topic: "release-schedule" }),
  toolUse("memory_write", { topic: "deploy-days", title: "Deploy days", hook: "deploys and releases go out Tuesdays and Thursdays", type: "project", content: "Deploys and releases: Tuesdays and, since 2026-11-19, Thursdays." }),
  toolUse("memory_delete", { topic: "deploy-day" }),
  toolUse("memory_delete", { topic: "release-schedule" }),
  text("merged two topics about deploy days into one"),
];

describe("dreaming", () => {
  it("merges two duplicate topics in a forked worker, swaps the result in, journals the change list, and can be reverted", async () => {
    const h = await startDreamHarness();
    const before = memoryOf(h);
    h.server.script(...mergeScript);
    const result = await dream(h);
    expect(result.outcome).toBe("dreamed");

    expect(readFileSync(path.join(h.home, "memory", "MEMORY.md"), "utf8")).toBe("- [Deploy days](topics/deploy-days.md) — deploys and releases go out Tuesdays and Thursdays\n");
    expect(readdirSync(path.join(h.home, "memory", "topics"))).toEqual(["deploy-days.md"]);
    const [row] = h.journal("dream");
    expect(row!.summary).toBe("dream: 1 added, 1 changed, 2 removed (index 2 → 1 lines) — merged two topics about deploy days into one");
    expect(row!.data).toMatchObject({
      added: ["topics/deploy-days.md"],
      changed: ["MEMORY.md"],
      removed: ["topics/deploy-day.md", "topics/release-schedule.md"],
      indexBefore: before["MEMORY.md"]!.trim().split("\n"),
      indexAfter: ["- [Deploy days](topics/deploy-days.md) — deploys and releases go out Tuesdays and Thursdays"],
    });

    const first = h.server.requests[0]!.body;
    expect(first.tools!.map((tool) => tool.name)).toEqual(MEMORY_TOOLS);
    expect(JSON.stringify(first.messages[0])).toContain("Local date and time: 2026-11-20 03:00");
    expect(JSON.stringify(first.messages[0])).toContain('<untrusted-data source=\\"journal\\">');
    expect(h.ctx.db.prepare("SELECT SUM(calls) AS calls FROM usage").get()).toEqual({ calls: 6 });
    expect(existsSync(path.join(h.home, "run", "dream.lock"))).toBe(false);

    const revert = runVigil(["memory", "revert"], cleanEnv(h.home));
    expect(revert.code).toBe(0);
    expect(memoryOf(h)).toEqual(before);
  });

  it("run_command, notify and write_file do not exist in the dream: each call is refused and nothing happens", async () => {
    const h = await startDreamHarness();
    const before = memoryOf(h);
    const outside = path.join(h.home, "planted.txt");
    h.server.script(
      toolUse("run_command", { command: `touch ${outside}` }),
      toolUse("notify", { title: "hi", body: "from a dream" }),
      toolUse("write_file", { path: outside, content: "x" }),
      text("nothing to change"),
    );
    const result = await dream(h);
    expect(result.outcome).toBe("dreamed");
    const refusals = h.server.requests.slice(1).map((request) => (request.body.messages.at(-1)!.content as Array<{ content: string; is_error: boolean }>)[0]!);
    for (const [i, name] of ["run_command", "notify", "write_file"].entries()) {
      expect(refusals[i]).toMatchObject({ is_error: true, content: expect.stringContaining(`there is no tool "${name}" in a dream (only memory tools exist here)`) });
    }
    expect(existsSync(outside)).toBe(false);
    expect(h.journal("acted")).toEqual([]);
    expect(memoryOf(h)).toEqual(before);
    expect(h.journal("dream")[0]!.summary).toContain("no change");
  });

  it("a worker killed mid-dream leaves memory byte-identical and the journal says why", async () => {
    const h = await startDreamHarness();
    const before = memoryOf(h);
    h.server.script(toolUse("memory_delete", { topic: "deploy-day" }), { kind: "hang" });
    const running = dream(h);
    await waitFor(() => h.server.requests.length === 2, 15_000, "the second model call");
    expect(readdirSync(path.join(h.home, "run")).some((name) => name.startsWith("dream-staging-"))).toBe(true);
    process.kill(findWorkerPid(h.home)!, "SIGKILL");
    expect(await running).toEqual({ outcome: "failed", reason: "the dream worker was killed by SIGKILL" });
    expect(memoryOf(h)).toEqual(before);
    expect(h.journal("error").at(-1)!.summary).toBe("dream failed, memory left as it was: the dream worker was killed by SIGKILL");
    expect(readdirSync(path.join(h.home, "run")).filter((name) => name.startsWith("dream"))).toEqual([]);
  });

  it("a dream that outlives dream.timeoutSeconds is killed; memory stays byte-identical", async () => {
    const h = await startDreamHarness(`${BASE_CONFIG}dream: { timeoutSeconds: 2 }\n`);
    const before = memoryOf(h);
    h.server.script(toolUse("memory_delete", { topic: "deploy-day" }), { kind: "hang" });
    expect(await dream(h)).toEqual({ outcome: "failed", reason: "timed out after 2 s" });
    expect(memoryOf(h)).toEqual(before);
    expect(findWorkerPid(h.home)).toBeUndefined();
    expect(h.journal("error").at(-1)!.data).toEqual({ event: "dream-failed", reason: "timed out after 2 s" });
  });

  it("an index over the limits is thrown away whole, memory stays byte-identical", async () => {
    const h = await startDreamHarness();
    const before = memoryOf(h);
    const lines = Array.from({ length: 201 }, (_, i) => formatIndexLine({ title: `t${i}`, topic: "deploy-day", hook: "x" }));
    h.server.script(toolUse("memory_write_index", { content: lines.join("\n") }), text("re-indexed"));
    const result = await dream(h);
    expect(result).toMatchObject({ outcome: "failed", reason: expect.stringContaining("MEMORY.md: the index has 201 lines") });
    expect(memoryOf(h)).toEqual(before);
  });

  it("a topic with broken frontmatter or an index line to a missing file is refused", async () => {
    const h = await startDreamHarness();
    const before = memoryOf(h);
    h.server.script(toolUse("memory_write_index", { content: "- [Ghost](topics/ghost.md) — not there" }), text("done"));
    expect(await dream(h)).toMatchObject({ outcome: "failed", reason: expect.stringContaining("points at topics/ghost.md, which does not exist") });
    expect(memoryOf(h)).toEqual(before);
  });

  it("a dream that drops a topic the user pinned is thrown away", async () => {
    const h = await startDreamHarness();
    const topic = path.join(h.home, "memory", "topics", "deploy-day.md");
    writeFileSync(topic, readFileSync(topic, "utf8").replace("type: project", "type: project\npinned: true"));
    const before = memoryOf(h);
    h.server.script(...mergeScript);
    expect(await dream(h)).toMatchObject({ outcome: "failed", reason: expect.stringContaining("topics/deploy-day.md is pinned and must stay, pinned and indexed") });
    expect(memoryOf(h)).toEqual(before);
  });

  it("two dreams at once: the second is refused by the lock; a stale lock is taken over", async () => {
    const h = await startDreamHarness(`${BASE_CONFIG}dream: { timeoutSeconds: 3 }\n`);
    h.server.script({ kind: "hang" });
    const first = dream(h);
    await waitFor(() => h.server.requests.length === 1, 15_000, "the first dream's model call");
    const second = await dream(h, { force: true });
    expect(second).toMatchObject({ outcome: "skipped", reason: expect.stringMatching(/^a dream is already running: pid \d+ holds .*dream\.lock/) });
    expect((await first).outcome).toBe("failed");

    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    mkdirSync(path.join(h.home, "run"), { recursive: true });
    writeFileSync(path.join(h.home, "run", "dream.lock"), JSON.stringify({ pid: dead, startedAt: h.clock.now().toISOString(), version: "0" }));
    h.server.script(text("nothing to change"));
    expect((await dream(h, { force: true })).outcome).toBe("dreamed");

    const hoursAgo = new Date(h.clock.now().getTime() - 2 * 3600_000).toISOString();
    writeFileSync(path.join(h.home, "run", "dream.lock"), JSON.stringify({ pid: process.pid, startedAt: hoursAgo, version: "0" }));
    h.server.script(text("nothing to change"));
    expect((await dream(h, { force: true })).outcome).toBe("dreamed");
  });

  it("gates: too few new journal rows, or a dream less than 20 h ago, and no model is called", async () => {
    const h = await startDreamHarness(`${BASE_CONFIG}dream: { minNewEntries: 100 }\n`);
    expect(await dream(h)).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("new journal row(s) since the last dream (dream.minNewEntries is 100)") });
    h.server.script(text("nothing to change"));
    expect((await dream(h, { force: true })).outcome).toBe("dreamed");
    for (let i = 0; i < 120; i++) h.ctx.journal.append({ kind: "quiet", summary: `more ${i}`, data: {} });
    h.clock.advance(3 * 3600_000);
    expect(await dream(h)).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("the last dream was 3.0 h ago") });
    expect(h.server.requests).toHaveLength(1);
    h.clock.advance(18 * 3600_000);
    h.server.script(text("nothing to change"));
    expect((await dream(h)).outcome).toBe("dreamed");
  });

  it("the daemon's dream job runs at dream.cron once per slot", async () => {
    const h = await startDreamHarness(`${BASE_CONFIG}dream: { cron: "0 3 * * *", minNewEntries: 5 }\n`);
    const job = createDreamJob(h.ctx, h.runtime, "anthropic");
    h.server.script(...mergeScript);
    await job.tick(new Date("2026-11-20T02:59:00Z"));
    expect(h.server.requests).toHaveLength(0);
    await job.tick(new Date("2026-11-20T03:00:10Z"));
    await waitFor(() => h.journal("dream").length === 1, 20_000, "the dream row");
    await job.tick(new Date("2026-11-20T03:00:40Z"));
    await job.stop();
    expect(h.journal("dream")).toHaveLength(1);
    expect(readdirSync(path.join(h.home, "memory", "topics"))).toEqual(["deploy-days.md"]);
  });

  it("`vigil dream --dry-run` prints the diff and changes nothing; without a key `vigil dream` says what to set", async () => {
    const h = await startDreamHarness();
    const before = memoryOf(h);
    h.server.script(...mergeScript);
    const dry = await runVigilAsync(["dream", "--dry-run"], cleanEnv(h.home, { ANTHROPIC_API_KEY: "sk-test", ANTHROPIC_BASE_URL: h.server.url, VIGIL_LOG_LEVEL: "silent" }));
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("--- /dev/null\n+++ b/topics/deploy-days.md");
    expect(dry.stdout).toContain("-- [Deploy day](topics/deploy-day.md) — deploys go out on Tuesdays");
    expect(dry.stdout).toContain("would change: 1 added, 1 changed, 2 removed");
    expect(memoryOf(h)).toEqual(before);

    const noKey = runVigil(["dream"], cleanEnv(h.home));
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain("dreaming needs a model: export ANTHROPIC_API_KEY");
  });
});
