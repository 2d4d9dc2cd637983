import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createMemoryStore } from "../../memory/memory-store.js";
import { noticeEvent } from "../events/notice-event.js";
import { normalizeGithubEvent } from "../github/normalize-github-event.js";
import { parseSubscriptionRef } from "../github/subscription-ref.js";
import { createSubscriptionStore } from "../github/subscriptions.js";
import { takeInGithubChange } from "../github/take-in-github-change.js";
import { excerptOfChange } from "../sources/file-change-excerpt.js";
import { idleEventIfDue } from "../sources/clock-source.js";
import type { EvalSandbox } from "./open-eval-sandbox.js";
import { parseAgo, type Scenario, type ScenarioEvent } from "./scenario-format.js";

/** A scenario that validates but cannot be set up (an event Vigil would never take in). */
export class ScenarioSetupError extends Error {
  override name = "ScenarioSetupError";
}

/**
 * Puts the scenario's situation into the sandbox the way the daemon would have: memory through
 * the memory store, earlier journal rows at their times, and each event through its source's own
 * intake (GitHub payloads normalized and filtered by subscription, file excerpts computed).
 * Returns the wake reason. The clock ends at the scenario's `now`.
 */
export function seedScenario(sandbox: EvalSandbox, scenario: Scenario): string {
  const { ctx } = sandbox;
  const situation = scenario.situation;
  const now = new Date(situation.now);
  const at = (ago: string | undefined) => sandbox.setClock(new Date(now.getTime() - parseAgo(ago)));
  const memory = createMemoryStore(ctx.paths.memoryDir);
  for (const topic of situation.memory) memory.write(topic);
  const subscriptions = createSubscriptionStore(ctx.db);
  at("1d");
  for (const ref of situation.subscriptions) subscriptions.add(parseSubscriptionRef(ref)!, "cli", ctx.now());
  for (const [file, content] of Object.entries(situation.workspace)) _writeInWorkspace(sandbox.workspace, file, content);
  for (const row of [...situation.journal].sort(_oldestFirst)) {
    at(row.ago);
    ctx.journal.append({ kind: row.kind, summary: row.summary, data: row.data ?? {} });
  }
  const events = situation.events.map((event, index) => ({ event, key: `${scenario.id}:${index}`, ago: event.ago ?? "1m" }));
  for (const { event, key, ago } of events.sort(_oldestFirst)) {
    at(ago);
    _noticeScenarioEvent(sandbox, subscriptions, event, key);
  }
  sandbox.setClock(now);
  if (situation.events.length === 0) {
    const idle = idleEventIfDue({ now, lastWakeAt: new Date(now.getTime() - 31 * 60_000), idleWakeMinutes: 30, sleepUntil: undefined, pending: 0, quiet: false });
    if (idle) noticeEvent(ctx, idle);
  }
  return situation.wake ?? `${ctx.events.countPending()} pending event(s)`;
}

function _noticeScenarioEvent(sandbox: EvalSandbox, subscriptions: ReturnType<typeof createSubscriptionStore>, event: ScenarioEvent, key: string): void {
  const { ctx } = sandbox;
  if ("tell" in event) {
    // As `vigil tell` queues it: the user's own words, trusted and urgent.
    noticeEvent(ctx, { source: "user", type: "message", trust: "trusted", urgent: true, summary: event.tell, payload: { text: event.tell } });
  } else if ("file" in event) {
    const { path: relative, kind, content, previous } = event.file;
    const file = path.join(sandbox.workspace, relative);
    if (kind === "unlink") rmSync(file, { force: true });
    else _writeInWorkspace(sandbox.workspace, relative, content ?? "");
    const excerpt = kind !== "unlink" && content !== undefined ? excerptOfChange(previous, content) : undefined;
    const size = kind === "unlink" ? null : Buffer.byteLength(content ?? "");
    noticeEvent(ctx, {
      source: "files",
      type: `file.${kind}`,
      dedupeKey: `files:${key}`,
      trust: "trusted",
      summary: `${relative} ${kind === "add" ? "created" : kind === "unlink" ? "deleted" : "changed"}${size === null ? "" : ` (${size} bytes)`}`,
      payload: { path: file, root: sandbox.workspace, kind, size, ...(excerpt ? { excerpt } : {}) },
    });
  } else if ("github" in event) {
    const change = normalizeGithubEvent(event.github.event, event.github.payload);
    const action = typeof event.github.payload.action === "string" ? ` (action ${event.github.payload.action})` : "";
    if (!change) throw new ScenarioSetupError(`github event ${event.github.event}${action} is not one Vigil takes in: use one normalize-github-event.ts follows`);
    const taken = takeInGithubChange({ db: ctx.db, events: ctx.events, journal: ctx.journal, subscriptions, now: ctx.now }, change);
    if (!taken.queued) throw new ScenarioSetupError(`github event for ${change.repo}${change.number ? `#${change.number}` : ""} would be dropped: add it to situation.subscriptions`);
  } else {
    // As a config schedule fires: the user's appointment, trusted, passing quiet hours.
    noticeEvent(ctx, {
      source: "schedule",
      type: "schedule",
      dedupeKey: `wakeup:${key}`,
      trust: "trusted",
      urgent: true,
      summary: event.schedule.prompt,
      payload: { slot: ctx.now().toISOString(), cron: event.schedule.cron },
    });
  }
}

function _writeInWorkspace(workspace: string, relative: string, content: string): void {
  const file = path.join(workspace, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function _oldestFirst(a: { ago: string }, b: { ago: string }): number {
  return parseAgo(b.ago) - parseAgo(a.ago);
}
