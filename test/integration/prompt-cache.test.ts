import { utimesSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildPrompt } from "../../daemon/brain/prompt/build-prompt.js";
import { createMemoryStore } from "../../memory/memory-store.js";
import { renderMemoryIndex } from "../../memory/render-memory-index.js";
import { runDream } from "../../memory/run-dream.js";
import { text, toolUse } from "../support/messages-api-server.js";
import { BASE_CONFIG, startHarness } from "../support/daemon-harness.js";

const HOUR = 3600_000;

describe("caches that hold", () => {
  it("over a simulated day, 24 topics of mixed ages change the cached front at most once", async () => {
    const start = new Date("2026-11-23T00:30:00Z");
    const h = await startHarness({ start: start.toISOString() });
    const memoryDir = path.join(h.home, "memory");
    const store = createMemoryStore(memoryDir);
    for (let i = 0; i < 24; i++) {
      store.write({ topic: `topic-${i}`, title: `Topic ${i}`, hook: `fact number ${i}`, type: "project", content: `Fact ${i}.` });
      // Written at every hour of the past days: under per-topic ages each would flip at its own hour.
      const written = new Date(start.getTime() - (i * 25 + 7) * HOUR);
      utimesSync(path.join(memoryDir, "topics", `topic-${i}.md`), written, written);
    }
    const tools = h.runtime.turn.toolDeps.registry.definitions();
    const frontAt = (now: Date) => {
      const prompt = buildPrompt({ tools, memoryIndex: renderMemoryIndex(memoryDir, now), now, timeZone: "UTC", wakeReason: "idle", events: [], recentJournal: [], budget: h.ctx.loaded.config.context });
      return JSON.stringify([prompt.tools, prompt.system]);
    };
    let changes = 0;
    let previous = frontAt(start);
    for (let minute = 5; minute <= 24 * 60; minute += 5) {
      const front = frontAt(new Date(start.getTime() + minute * 60_000));
      if (front !== previous) changes++;
      previous = front;
    }
    expect(changes).toBe(1); // at 00:00 UTC, all ages together
    expect(renderMemoryIndex(memoryDir, start)).toMatch(/Topic 23\]\(topics\/topic-23.md\) — fact number 23 \(25 days old\)/);
  });

  it("dream sub-turns set breakpoints on their front and their request: later steps read them from cache", async () => {
    const h = await startHarness({ config: BASE_CONFIG, start: "2026-11-20T03:00:00Z" });
    for (let i = 0; i < 25; i++) h.ctx.journal.append({ kind: "quiet", summary: `checked the build ${i}`, data: {} });
    h.server.script(toolUse("memory_search", { query: "build" }), toolUse("memory_search", { query: "deploy" }), text("nothing to keep"));
    const result = await runDream({ ctx: h.ctx, usage: h.runtime.turn.usage, state: h.runtime.state }, { force: true });
    expect(result.outcome).toBe("dreamed");
    const [first] = h.server.requests;
    expect((first!.body.system as Array<{ cache_control?: unknown }>)[0]!.cache_control).toEqual({ type: "ephemeral", ttl: "1h" });
    expect((first!.body.tools!.at(-1) as { cache_control?: unknown }).cache_control).toEqual({ type: "ephemeral", ttl: "1h" });
    expect((first!.body.messages[0]!.content as Array<{ cache_control?: unknown }>)[0]!.cache_control).toEqual({ type: "ephemeral" });
    const total = h.runtime.turn.usage.forDay("2026-11-20");
    expect(total.cacheWrite).toBeGreaterThan(0);
    expect(total.cacheRead).toBeGreaterThan(total.cacheWrite); // steps 2 and 3 read what step 1 wrote
  });
});
