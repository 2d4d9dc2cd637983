import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readMemorySnapshot } from "../../memory/memory-snapshot.js";
import { searchRecall } from "../../memory/search-recall.js";
import { parseIndex } from "../../memory/memory-index.js";
import { startHarness, type Harness } from "../support/daemon-harness.js";
import { toolUse } from "../support/messages-api-server.js";
import { cleanEnv, ROOT, runVigil } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

const DAY = 24 * 3600_000;

/** The content of the tool_result the model got back in the last request. */
function lastToolResult(h: Harness): string {
  const message = h.server.requests.at(-1)!.body.messages.at(-1)!;
  return JSON.stringify(message.content);
}

const remember = (topic: string, content: string, hook = `about ${topic}`) => toolUse("memory_write", { topic, title: topic, hook, type: "project", content });

describe("memory_search over the journal and transcripts (FTS5)", () => {
  it("finds a journal row from six weeks ago by a word in it", async () => {
    const h = await startHarness({ start: "2026-10-01T10:00:00Z" });
    h.ctx.journal.append({ kind: "system", summary: "the flux capacitor was moved to the staging rack", data: {} });
    for (let i = 0; i < 50; i++) h.ctx.journal.append({ kind: "quiet", summary: `nothing new ${i}`, data: {} });
    h.clock.advance(42 * DAY);
    h.server.script(toolUse("memory_search", { query: "where is the capacitor?" }), toolUse("stay_quiet", { reason: "found" }));
    h.notice({ summary: "where did the capacitor go?" });
    await h.ticks(1);
    const result = lastToolResult(h);
    expect(result).toContain("[2026-10-01 journal 1]");
    expect(result).toContain("«capacitor»");
  });

  it("FTS syntax in a query is searched as text, never a syntax error", async () => {
    const h = await startHarness();
    h.ctx.journal.append({ kind: "system", summary: "NEAR the AND gate: a wire was cut", data: {} });
    for (const query of ['"', "NEAR(", "*", "a:b", "-wire", "AND OR NOT", ")", "wire*", "'; DROP TABLE journal; --", '"unbalanced', "^cut", "{wire}"]) {
      expect(() => searchRecall(h.ctx.db, query), query).not.toThrow();
    }
    expect(searchRecall(h.ctx.db, "NEAR(").map((hit) => hit.ref)).toEqual(["1"]);
    expect(searchRecall(h.ctx.db, "wire*")[0]!.snippet).toContain("«wire»");
    expect(searchRecall(h.ctx.db, "   ")).toEqual([]);
  });

  it("a turn's transcript is stored and searchable, and a hit is a snippet, never the whole transcript", async () => {
    const h = await startHarness();
    h.server.script(toolUse("notify", { title: "Heads up", body: `the zebracorn build is green ${"filler ".repeat(2000)}` }), toolUse("stay_quiet", { reason: "told" }));
    h.notice({ summary: "tell me about the build" });
    await h.ticks(1);
    const hits = searchRecall(h.ctx.db, "zebracorn").filter((hit) => hit.source === "transcript");
    expect(hits).toHaveLength(1);
    expect(hits[0]!.snippet).toContain("«zebracorn»");
    expect(hits[0]!.snippet.length).toBeLessThan(400);
    const stored = h.ctx.db.prepare("SELECT body FROM transcripts").get() as { body: string };
    expect(stored.body).toContain("assistant: → notify");
    expect(stored.body).toContain("user: ← ");
  });

  it("a secret the model echoes never reaches the stored transcript", async () => {
    const h = await startHarness();
    h.server.script(toolUse("stay_quiet", { reason: `the key is ${h.env.ANTHROPIC_API_KEY}` }));
    h.notice({ summary: "what is the key?" });
    await h.ticks(1);
    const stored = h.ctx.db.prepare("SELECT body FROM transcripts").pluck().get() as string;
    expect(stored).toContain("the key is");
    expect(stored).not.toContain(h.env.ANTHROPIC_API_KEY);
  });
});

describe("memory versions", () => {
  it("every change is a version; `vigil memory revert` restores the previous one byte for byte, and can be reverted too", async () => {
    const h = await startHarness();
    h.server.script(remember("deploys", "Deploys go out on Tuesdays."), toolUse("stay_quiet", { reason: "ok" }));
    h.notice({ summary: "remember deploys" });
    await h.ticks(1);
    const first = readMemorySnapshot(path.join(h.home, "memory"));
    h.server.script(remember("deploys", "Deploys go out on Thursdays now.", "moved"), remember("oncall", "Ana is on call."), toolUse("stay_quiet", { reason: "ok" }));
    h.notice({ summary: "deploys moved" });
    await h.ticks(1);
    const second = readMemorySnapshot(path.join(h.home, "memory"));
    expect(second).not.toEqual(first);

    const env = cleanEnv(h.home);
    const show = runVigil(["memory", "show"], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("[oncall](topics/oncall.md)");
    expect(show.stdout).toMatch(/memory_write oncall/);

    const revert = runVigil(["memory", "revert"], env);
    expect(revert.stderr).toBe("");
    expect(revert.code).toBe(0);
    const withoutOncall = readMemorySnapshot(path.join(h.home, "memory"));
    expect(withoutOncall).toEqual(_before(h, "memory_write oncall"));

    const toFirst = runVigil(["memory", "revert", String(_versionAfter(h, "memory_write deploys"))], env);
    expect(toFirst.code).toBe(0);
    expect(readMemorySnapshot(path.join(h.home, "memory"))).toEqual(first);
    expect(existsSync(path.join(h.home, "memory", "topics", "oncall.md"))).toBe(false);

    expect(runVigil(["memory", "revert"], env).code).toBe(0); // the last revert is itself undone
    expect(readMemorySnapshot(path.join(h.home, "memory"))).toEqual(withoutOncall);
    expect(h.journal("system").filter((entry) => entry.data.event === "memory-reverted")).toHaveLength(3);
  });

  it("a hand edit is captured before a revert, so reverting never loses it", async () => {
    const h = await startHarness();
    h.server.script(remember("deploys", "Tuesdays."), toolUse("stay_quiet", { reason: "ok" }));
    h.notice({ summary: "remember" });
    await h.ticks(1);
    const topic = path.join(h.home, "memory", "topics", "deploys.md");
    writeFileSync(topic, readFileSync(topic, "utf8") + "Edited by hand.\n");
    const edited = readMemorySnapshot(path.join(h.home, "memory"));
    expect(runVigil(["memory", "revert"], cleanEnv(h.home)).code).toBe(0);
    expect(readFileSync(topic, "utf8")).not.toContain("Edited by hand.");
    expect(runVigil(["memory", "revert"], cleanEnv(h.home)).code).toBe(0);
    expect(readMemorySnapshot(path.join(h.home, "memory"))).toEqual(edited);
  });

  it("revert with nothing to go back to, or a version that does not exist, exits 1 and says so", () => {
    const home = makeTempHome();
    const none = runVigil(["memory", "revert"], cleanEnv(home));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no earlier memory version");
    const missing = runVigil(["memory", "revert", "99"], cleanEnv(home));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no memory version 99");
    expect(runVigil(["memory", "revert", "x"], cleanEnv(home)).code).toBe(2);
  });

  it("a refused revert records no version: not on an empty home, not with a hand-written index and no history", () => {
    const home = makeTempHome();
    const env = cleanEnv(home);
    expect(runVigil(["memory", "revert"], env).code).toBe(1);
    expect(runVigil(["memory", "show"], env).stdout).toContain("(none yet)");
    mkdirSync(path.join(home, "memory"), { recursive: true });
    writeFileSync(path.join(home, "memory", "MEMORY.md"), "- [Deploys](topics/deploys.md) — Tuesdays\n");
    expect(runVigil(["memory", "revert"], env).code).toBe(1);
    expect(runVigil(["memory", "revert", "1"], env).code).toBe(1);
    const show = runVigil(["memory", "show"], env);
    expect(show.stdout).toContain("(none yet)");
    expect(show.stdout).not.toContain("before a revert");
    expect(readFileSync(path.join(home, "memory", "MEMORY.md"), "utf8")).toBe("- [Deploys](topics/deploys.md) — Tuesdays\n");
    const log = runVigil(["log", "--json"], env).stdout;
    expect(log).not.toContain("memory-reverted");
  });

  it("`vigil memory search` quotes the query and prints ranked hits; nothing found exits 1", async () => {
    const h = await startHarness();
    h.ctx.journal.append({ kind: "system", summary: "rotated the kumquat certificate", data: {} });
    const found = runVigil(["memory", "search", "kumquat", "NEAR("], cleanEnv(h.home));
    expect(found.code).toBe(0);
    expect(found.stdout).toContain("«kumquat»");
    expect(runVigil(["memory", "search", "pomegranate"], cleanEnv(h.home)).code).toBe(1);
  });
});

describe("memory in the prompt", () => {
  it("a memory older than a day carries its age; a fresh one does not", async () => {
    const h = await startHarness();
    h.server.script(remember("old-fact", "old"), remember("new-fact", "new"), toolUse("stay_quiet", { reason: "ok" }));
    h.notice({ summary: "remember both" });
    await h.ticks(1);
    const old = new Date(h.clock.now().getTime() - 3 * DAY - 60_000);
    utimesSync(path.join(h.home, "memory", "topics", "old-fact.md"), old, old);
    h.notice({ summary: "next" });
    await h.ticks(1);
    const system = JSON.stringify(h.server.requests.at(-1)!.body.system);
    expect(system).toContain("(topics/old-fact.md) — about old-fact (3 days old)");
    expect(system).toMatch(/\(topics\/new-fact\.md\) — about new-fact\\n|\(topics\/new-fact\.md\) — about new-fact"/);
    expect(system).toContain("verify before relying on them");
  });
});

describe("topic first, index second", () => {
  it("a process killed between the two leaves no index line to a missing file, and the next start finishes the write", () => {
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), "timezone: UTC\nserver: { port: 0 }\nnotify: { desktop: false }\n");
    const memoryDir = path.join(home, "memory");
    const store = pathToDist("memory/memory-store.js");
    const script = `
      import { createMemoryStore } from ${JSON.stringify(store)};
      const store = createMemoryStore(${JSON.stringify(memoryDir)}, { afterTopicWritten: () => process.kill(process.pid, "SIGKILL") });
      store.write({ topic: "killed", title: "Killed", hook: "written halfway", type: "project", content: "the topic made it" });`;
    spawnSync(process.execPath, ["--input-type=module", "-e", `import { createMemoryStore } from ${JSON.stringify(store)}; createMemoryStore(${JSON.stringify(memoryDir)}).write({ topic: "kept", title: "Kept", hook: "already there", type: "user", content: "x" });`]);
    const killed = spawnSync(process.execPath, ["--input-type=module", "-e", script]);
    expect(killed.signal).toBe("SIGKILL");

    expect(existsSync(path.join(memoryDir, "topics", "killed.md"))).toBe(true);
    const lines = parseIndex(readFileSync(path.join(memoryDir, "MEMORY.md"), "utf8"));
    expect(lines.map((line) => line.topic)).toEqual(["kept"]);
    for (const line of lines) expect(existsSync(path.join(memoryDir, "topics", `${line.topic}.md`))).toBe(true);

    const once = runVigil(["start", "--once"], cleanEnv(home));
    expect(once.code).toBe(0);
    expect(readFileSync(path.join(memoryDir, "MEMORY.md"), "utf8")).toBe("- [Kept](topics/kept.md) — already there\n- [Killed](topics/killed.md) — written halfway\n");
    expect(runVigil(["log", "--grep", "memory index repaired"], cleanEnv(home)).stdout).toContain("1 topic(s) indexed again");
  });
});

function pathToDist(file: string): string {
  return path.join(ROOT, "dist", file);
}

function _before(h: Harness, reason: string) {
  const row = h.ctx.db.prepare("SELECT files FROM memory_versions WHERE reason = ?").get(`before ${reason}`) as { files: string } | undefined;
  if (row) return JSON.parse(row.files) as Record<string, string>;
  // No separate "before" version when the state before was already the newest version.
  const after = h.ctx.db.prepare("SELECT version FROM memory_versions WHERE reason = ?").get(reason) as { version: number };
  const previous = h.ctx.db.prepare("SELECT files FROM memory_versions WHERE version < ? ORDER BY version DESC LIMIT 1").get(after.version) as { files: string };
  return JSON.parse(previous.files) as Record<string, string>;
}

function _versionAfter(h: Harness, reason: string): number {
  return (h.ctx.db.prepare("SELECT version FROM memory_versions WHERE reason = ? ORDER BY version LIMIT 1").get(reason) as { version: number }).version;
}
