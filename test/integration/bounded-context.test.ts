import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { searchRecall } from "../../memory/search-recall.js";
import { verifyChain } from "../../logs/verify-chain.js";
import { toolUse, type RecordedRequest, type ScriptedReply } from "../support/messages-api-server.js";
import { BASE_CONFIG, startHarness } from "../support/daemon-harness.js";
import { cleanEnv, runVigilAsync } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

/** The budget a wake keeps to: well under 20k tokens, at the test server's 4 characters a token. */
const BUDGET_TOKENS = 20_000;
const tokensOf = (request: RecordedRequest) => Math.ceil(request.raw.length / 4);

describe("bounded context: no prompt can blow up", () => {
  it("3,000 file events from a branch switch: one folded line, every request under budget, all handled", async () => {
    const repo = makeTempHome("vigil-repo-");
    mkdirSync(path.join(repo, ".git"));
    const h = await startHarness({ config: `${BASE_CONFIG}watch: [ { path: "${repo}" } ]\n` });
    // As the watcher would queue them, in one transaction to keep the test quick.
    h.ctx.db.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const file = path.join(repo, "src", `mod${i % 40}`, `file-${i}.ts`);
        h.notice({ source: "files", type: "file.change", trust: "untrusted", summary: `src/mod${i % 40}/file-${i}.ts changed (812 bytes)`, payload: { path: file, root: repo, kind: "change", size: 812, excerpt: `+ export const value${i} = ${"x".repeat(300)};` } });
        if (i % 1000 === 999) h.clock.advance(1000);
      }
    })();
    h.server.script(toolUse("list_changes", { under: "src/mod7", limit: 5 }), toolUse("stay_quiet", { reason: "a branch switch; nothing to do" }));
    await h.ticks(3);
    expect(h.ctx.events.countPending()).toBe(0);
    expect(h.server.requests).toHaveLength(2);
    for (const request of h.server.requests) expect(tokensOf(request)).toBeLessThan(BUDGET_TOKENS);
    const prompt = JSON.stringify(h.server.requests[0]!.body.messages);
    expect(prompt).toMatch(/3,000 files changed under src\/ in 2 s — looks like a branch switch or a pull \(3,000 changed\); list_changes/);
    const listed = JSON.stringify(h.server.requests[1]!.body.messages.at(-1));
    expect(listed).toContain("75 matching event(s); showing 1–5");
    expect(listed).toContain("src/mod7/file-7.ts changed");
    expect(h.journal("quiet")[0]!.data).toMatchObject({ events: 3000 });
  });

  it("a 195 KB read: the model sees a clipped result, the journal a 1 KB summary, the transcript all of it", async () => {
    const workspace = makeTempHome("vigil-ws-");
    const big = `${"lorem ipsum dolor sit amet ".repeat(7400)}\nTHE-END-MARKER-zebra\n`;
    writeFileSync(path.join(workspace, "big.txt"), big);
    expect(big.length).toBeGreaterThan(195_000);
    const h = await startHarness({ config: `${BASE_CONFIG}tools: { workspace: ["${workspace}"] }\n` });
    h.server.script(toolUse("read_file", { path: "big.txt" }), toolUse("stay_quiet", { reason: "read it" }), toolUse("stay_quiet", { reason: "still nothing" }));
    h.notice({ summary: "read big.txt" });
    await h.ticks(2);
    h.notice({ summary: "anything new?" });
    await h.ticks(2);
    expect(h.server.requests).toHaveLength(3);
    for (const request of h.server.requests) expect(tokensOf(request)).toBeLessThan(BUDGET_TOKENS);
    const [row] = h.journal("acted").filter((entry) => entry.data.tool === "read_file");
    expect(row!.summary.length).toBeLessThanOrEqual(300);
    expect(String(row!.data.result).length).toBeLessThanOrEqual(1000);
    expect(String(row!.data.result)).toContain("the full output is in the turn's transcript");
    // The next turn's recent journal shows the summary only.
    expect(h.server.requests[2]!.raw.length).toBeLessThan(h.server.requests[1]!.raw.length);
    expect(searchRecall(h.ctx.db, "THE-END-MARKER-zebra").map((hit) => hit.source)).toEqual(["transcript"]);
  });

  it("a 400 'prompt is too long' shrinks the batch and retries; every event is handled", async () => {
    const h = await startHarness();
    const tooLong: ScriptedReply = { kind: "error", status: 400, type: "invalid_request_error", message: "prompt is too long: 215000 tokens > 200000 maximum" };
    // This server takes at most 3 events in one prompt.
    h.server.setFallback((request) => ((JSON.stringify(request.body.messages).match(/#\d+ user\/message/g) ?? []).length > 3 ? tooLong : toolUse("stay_quiet", { reason: "handled" })));
    for (let i = 0; i < 20; i++) h.notice({ summary: `message ${i}` });
    await h.ticks(12);
    expect(h.ctx.events.countPending()).toBe(0);
    const accepted = h.server.requests.filter((request) => (JSON.stringify(request.body.messages).match(/#\d+ user\/message/g) ?? []).length <= 3);
    const handled = accepted.flatMap((request) => [...JSON.stringify(request.body.messages).matchAll(/#\d+ user\/message at [^"]+?\[trusted\]: \{\\"summary\\":\\"message (\d+)/g)].map((match) => Number(match[1])));
    expect(new Set(handled)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i)));
    expect(h.journal("system").filter((entry) => entry.data.event === "batch-shrunk").length).toBeGreaterThan(0);
    expect(h.journal("error")).toEqual([]);
  });

  it("a poison event is quarantined after 3 failed turns; the others go on, and the review lists it", async () => {
    const h = await startHarness();
    h.server.setFallback((request) =>
      request.raw.includes("POISON") ? { kind: "error", status: 400, type: "invalid_request_error", message: "messages.0.content.0.text: invalid" } : toolUse("stay_quiet", { reason: "fine" }),
    );
    // The poison is in the payload only (a malformed attachment, say), so the journal never repeats it.
    const ids = [0, 1, 2, 3, 4].map((i) => h.notice({ summary: `message ${i}`, payload: i === 2 ? { attachment: "POISON" } : {} }));
    await h.ticks(30, 60_000);
    expect(h.ctx.events.countPending()).toBe(0);
    const quarantined = h.journal("error").filter((entry) => entry.data.event === "event-quarantined");
    expect(quarantined).toEqual([expect.objectContaining({ summary: expect.stringMatching(new RegExp(`^event #${ids[2]} quarantined after 3 failed turns`)) })]);
    expect(h.ctx.events.listQuarantined().map((event) => event.id)).toEqual([ids[2]]);
    const done = h.ctx.db.prepare("SELECT id FROM events WHERE state = 'done' ORDER BY id").all() as Array<{ id: number }>;
    expect(done.map((row) => row.id)).toEqual([ids[0], ids[1], ids[3], ids[4]]);
    expect(verifyChain(h.ctx.db)).toMatchObject({ ok: true });
    const review = await runVigilAsync(["review", "--day", "today"], cleanEnv(h.home));
    expect(review.stdout).toMatch(/Set aside \(quarantined events, not retried\):\n- \d\d:\d\d event #\d+ quarantined after 3 failed turns in a row: user\/message: message 2/);
  });

});
