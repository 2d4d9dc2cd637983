import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { hashEntry, GENESIS_HASH } from "../../logs/hash-entry.js";
import { createAnchorJob } from "../../daemon/schedule/anchor-job.js";
import { createMorningReviewJob } from "../../daemon/schedule/send-morning-review.js";
import { createFallbackNotifier } from "../../daemon/notify/create-notifier.js";
import { createNtfyChannel } from "../../daemon/notify/ntfy-channel.js";
import { startNtfyRecorder } from "../support/ntfy-recorder.js";
import { startHarness, BASE_CONFIG } from "../support/daemon-harness.js";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigil } from "../support/run-vigil.js";

/** A home whose anchor log lives in another directory, as it would on a real machine. */
function setup() {
  const home = makeTempHome();
  const anchors = path.join(makeTempHome("vigil-state-"), "anchors.jsonl");
  writeFileSync(path.join(home, "config.yaml"), `journal: { anchor: { file: ${JSON.stringify(anchors)} } }\n`);
  const env = cleanEnv(home);
  const tell = (text: string) => expect(runVigil(["tell", text], env).code).toBe(0);
  return { home, anchors, env, tell };
}

/** What someone with write access to vigil.db can do: drop the triggers, then edit freely. */
function tamper(home: string, edit: (db: Database.Database) => void) {
  const db = new Database(path.join(home, "vigil.db"));
  db.exec("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;");
  edit(db);
  db.close();
}

function verify(env: NodeJS.ProcessEnv, anchors: string) {
  const result = runVigil(["log", "verify", "--anchors", anchors, "--json"], env);
  return { code: result.code, verdict: JSON.parse(result.stdout) as { ok: boolean; anchors: Record<string, unknown> }, stderr: result.stderr };
}

describe("the journal's head, anchored outside VIGIL_HOME", () => {
  it("vigil log anchor appends the head; verify --anchors passes on an untouched journal", () => {
    const { anchors, env, tell, home } = setup();
    expect(runVigil(["log", "anchor"], env).stderr).toContain("nothing to anchor");
    tell("one");
    tell("two");
    const anchored = runVigil(["log", "anchor"], env);
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toMatch(new RegExp(`^anchored seq 2 [0-9a-f]{64} in ${anchors}`));
    tell("three");
    expect(runVigil(["log", "anchor"], env).code).toBe(0);
    const lines = readFileSync(anchors, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.seq, line.home])).toEqual([[2, home], [3, home]]);
    const rows = runVigil(["log", "--json"], env).stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(lines[1].hash).toBe(rows[2].hash);
    const text = runVigil(["log", "verify", "--anchors", anchors], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("anchors ok: all 2 anchored head(s)");
    expect(verify(env, anchors)).toMatchObject({ code: 0, verdict: { ok: true, anchors: { ok: true, checked: 2 } } });
  });

  it("truncating the newest rows (triggers dropped) leaves a chain that verifies, but not against the anchors", () => {
    const { anchors, env, tell, home } = setup();
    for (const text of ["one", "two", "three"]) tell(text);
    runVigil(["log", "anchor"], env);
    tell("four");
    tell("five");
    runVigil(["log", "anchor"], env);
    tamper(home, (db) => db.prepare("DELETE FROM journal WHERE seq > 3").run());
    expect(runVigil(["log", "verify"], env).code).toBe(0); // the chain alone cannot tell
    const { code, verdict } = verify(env, anchors);
    expect(code).toBe(1);
    expect(verdict).toMatchObject({ ok: true, anchors: { ok: false, seq: 5, reason: expect.stringContaining("truncated") } });
    expect(runVigil(["log", "verify", "--anchors", anchors], env).stdout).toContain("anchor mismatch at seq 5");
  });

  it("re-hashing the whole chain after an edit verifies as a chain, and the first anchored seq after the edit is named", () => {
    const { anchors, env, tell, home } = setup();
    for (const text of ["one", "two", "three"]) tell(text);
    runVigil(["log", "anchor"], env); // seq 3
    tell("four");
    runVigil(["log", "anchor"], env); // seq 4
    tamper(home, (db) => {
      const rows = db.prepare("SELECT seq, ts, day, kind, summary, data FROM journal ORDER BY seq").all() as Array<{ seq: number; ts: string; day: string; kind: string; summary: string; data: string }>;
      const update = db.prepare("UPDATE journal SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?");
      let prevHash = GENESIS_HASH;
      for (const row of rows) {
        const summary = row.seq === 2 ? "user/message: nothing happened" : row.summary;
        const hash = hashEntry({ ...row, summary, prevHash });
        update.run(summary, prevHash, hash, row.seq);
        prevHash = hash;
      }
    });
    expect(runVigil(["log", "verify"], env).code).toBe(0);
    const { code, verdict } = verify(env, anchors);
    expect(code).toBe(1);
    expect(verdict.anchors).toMatchObject({ ok: false, seq: 3, reason: expect.stringContaining("rewritten") });
  });

  it("an unreadable anchor file is a usage error naming it", () => {
    const { env, tell } = setup();
    tell("one");
    const result = runVigil(["log", "verify", "--anchors", "/nonexistent/anchors.jsonl"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("/nonexistent/anchors.jsonl");
  });

  it("the daemon anchors the head once a day at journal.anchor.cron", async () => {
    const anchors = path.join(makeTempHome("vigil-state-"), "anchors.jsonl");
    const h = await startHarness({ config: `${BASE_CONFIG}journal: { anchor: { file: ${JSON.stringify(anchors)}, cron: "0 0 * * *" } }\n`, start: "2026-03-01T23:58:00Z" });
    h.notice({ summary: "something" });
    const job = createAnchorJob(h.ctx, h.runtime);
    await job(h.clock.now());
    expect(existsSync(anchors)).toBe(false); // not midnight yet
    h.clock.advance(2 * 60_000);
    await job(h.clock.now());
    await job(h.clock.now()); // the same slot never anchors twice
    const lines = readFileSync(anchors, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(lines).toEqual([{ ts: "2026-03-02T00:00:00.000Z", home: h.home, seq: h.journal().at(-1)!.seq, hash: h.journal().at(-1)!.hash }]);
  });

  it("with journal.anchor.notify, the morning review notification carries the head, and the anchor log has it", async () => {
    const anchors = path.join(makeTempHome("vigil-state-"), "anchors.jsonl");
    const h = await startHarness({ config: `${BASE_CONFIG}journal: { anchor: { file: ${JSON.stringify(anchors)}, notify: true } }\n`, start: "2026-03-02T07:59:30Z" });
    h.notice({ summary: "overnight" });
    const ntfy = await startNtfyRecorder();
    const notifier = Object.assign(createFallbackNotifier([createNtfyChannel({ server: ntfy.url, topic: "me" })]), { flushHeld: async () => undefined });
    const review = createMorningReviewJob(h.ctx, { ...h.runtime, notifier });
    await review(h.clock.now());
    h.clock.advance(60_000);
    await review(h.clock.now());
    await ntfy.close();
    const [anchor] = readFileSync(anchors, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(ntfy.received).toHaveLength(1);
    expect(ntfy.received[0]!.body.message).toContain(`Journal head: seq ${anchor.seq} ${anchor.hash}`);
    expect(anchor.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
