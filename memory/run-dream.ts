import { rmSync } from "node:fs";
import path from "node:path";
import type { VigilContext } from "../daemon/context/open-context.js";
import type { UsageLedger } from "../daemon/brain/usage-ledger.js";
import { acquireInstanceLock, LockHeldError } from "../daemon/locks/instance-lock.js";
import type { DaemonState } from "../daemon/state/daemon-state.js";
import { VERSION } from "../daemon/version.js";
import { localDateParts, localDay } from "../logs/local-day.js";
import { CHARS_PER_TOKEN, clipText, fitNewest } from "../logs/clip-text.js";
import { lastEntry } from "../logs/query-entries.js";
import { diffMemory, hasChanges, renderMemoryPatch, type MemoryChanges } from "./diff-memory.js";
import { checkDreamGates, LAST_DREAM_KEY, type LastDream } from "./dream-gates.js";
import type { DreamTask } from "./dream-protocol.js";
import { forkDreamWorker } from "./fork-dream-worker.js";
import { indexJournal } from "./index-journal.js";
import { readMemorySnapshot, sameSnapshot, writeMemorySnapshot, type MemorySnapshot } from "./memory-snapshot.js";
import { createMemoryVersions } from "./memory-versions.js";
import { validateMemory } from "./validate-memory.js";
import { checkPinnedKept } from "./check-pinned.js";
import { markProvenance } from "./mark-provenance.js";

/** A lock older than this belongs to a dream that can no longer be running (the timeout is at most an hour). */
const LOCK_STALE_MS = 3600_000;
const DREAM_STEPS = 24;
/** One journal row as the dream reads it; memory_search finds the rest. */
const ROW_CHARS = 400;

export interface DreamDeps {
  ctx: Pick<VigilContext, "db" | "journal" | "paths" | "loaded" | "env" | "now">;
  usage: UsageLedger;
  state: DaemonState;
}

export interface DreamOptions {
  /** Print what would change; change nothing. */
  dryRun?: boolean;
  /** Skip the time and new-entries gates (`vigil dream`); the lock still holds. */
  force?: boolean;
  signal?: AbortSignal;
  workerPath?: string;
}

export type DreamResult =
  | { outcome: "skipped"; reason: string }
  | { outcome: "failed"; reason: string }
  | { outcome: "dreamed"; summary: string; changes: MemoryChanges; patch: string; version?: number };

/**
 * One dream: gates, lock, a staging copy of the memory, the forked worker, validation, and an
 * atomic swap (unless a dry run). Whatever fails, the live memory is exactly as it was, and the
 * journal says why.
 */
export async function runDream(deps: DreamDeps, options: DreamOptions = {}): Promise<DreamResult> {
  const { ctx } = deps;
  const dream = ctx.loaded.config.dream;
  if (!options.force) {
    const gate = checkDreamGates({ db: ctx.db, state: deps.state, now: ctx.now(), minNewEntries: dream.minNewEntries });
    if (!gate.open) return { outcome: "skipped", reason: gate.reason };
  }
  let lock: { release(): void };
  try {
    lock = acquireInstanceLock(path.join(ctx.paths.runDir, "dream.lock"), { pid: process.pid, startedAt: ctx.now().toISOString(), version: VERSION }, { what: "a dream", staleAfterMs: LOCK_STALE_MS });
  } catch (error) {
    if (error instanceof LockHeldError) return { outcome: "skipped", reason: error.message };
    throw error;
  }
  const stagingDir = path.join(ctx.paths.runDir, `dream-staging-${process.pid}`);
  try {
    return await _dreamLocked(deps, options, stagingDir);
  } finally {
    rmSync(stagingDir, { recursive: true, force: true });
    lock.release();
  }
}

async function _dreamLocked(deps: DreamDeps, options: DreamOptions, stagingDir: string): Promise<DreamResult> {
  const { ctx } = deps;
  const lastSeq = lastEntry(ctx.db)?.seq ?? 0;
  const before = readMemorySnapshot(ctx.paths.memoryDir);
  rmSync(stagingDir, { recursive: true, force: true });
  writeMemorySnapshot(stagingDir, before);
  // The worker's handle is read-only: the transcripts index must be caught up before it searches.
  indexJournal(ctx.db);
  const { task, untrustedInput } = _task(deps, stagingDir);
  const outcome = await forkDreamWorker(task, {
    env: ctx.env,
    timeoutMs: ctx.loaded.config.dream.timeoutSeconds * 1000,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.workerPath ? { workerPath: options.workerPath } : {}),
    onUsage: (model, usage) => deps.usage.record(localDay(ctx.now(), ctx.loaded.timezone), model, usage),
  });
  if (!outcome.ok) return _fail(deps, outcome.reason);
  const proposed = readMemorySnapshot(stagingDir);
  const problems = [...validateMemory(proposed), ...checkPinnedKept(before, proposed)];
  if (problems.length) return _fail(deps, `its memory was invalid and was thrown away: ${problems.slice(0, 5).join("; ")}`);
  // A dream that read outside text cannot turn it into instructions: what it wrote is fenced as data.
  const { after, untrustedTopics } = markProvenance(before, proposed, { source: `dream on ${ctx.now().toISOString().slice(0, 10)}`, untrusted: untrustedInput });
  const changes = diffMemory(before, after);
  const patch = renderMemoryPatch(before, after);
  if (options.dryRun) {
    ctx.journal.append({ kind: "dream", summary: `dream (dry run): ${_describe(changes)}; nothing changed`, data: { dryRun: true, ...changes, summary: outcome.summary } });
    return { outcome: "dreamed", summary: outcome.summary, changes, patch };
  }
  if (!sameSnapshot(readMemorySnapshot(ctx.paths.memoryDir), before)) return _fail(deps, "the memory changed while the dream ran; it will dream again next time");
  const version = hasChanges(changes) ? _swapIn(deps, before, after) : undefined;
  const fenced = untrustedTopics.length ? `; learned from outside text, fenced until you trust them: ${untrustedTopics.join(", ")}` : "";
  ctx.journal.append({ kind: "dream", summary: `dream: ${_describe(changes)} — ${outcome.summary}${fenced}`, data: { ...changes, version: version ?? null, steps: outcome.steps, summary: outcome.summary, untrustedTopics } });
  deps.state.set(LAST_DREAM_KEY, { at: ctx.now().toISOString(), seq: lastSeq } satisfies LastDream);
  return { outcome: "dreamed", summary: outcome.summary, changes, patch, ...(version ? { version } : {}) };
}

/** Both sides versioned (so `vigil memory revert` undoes the dream), the new files in between. */
function _swapIn({ ctx }: DreamDeps, before: MemorySnapshot, after: MemorySnapshot): number {
  const versions = createMemoryVersions(ctx.db, ctx.paths.memoryDir);
  versions.capture("before a dream", ctx.now(), before);
  writeMemorySnapshot(ctx.paths.memoryDir, after);
  return versions.capture("dream", ctx.now(), after);
}

function _task({ ctx, state }: DreamDeps, stagingDir: string): { task: DreamTask; untrustedInput: boolean } {
  const since = state.get<LastDream>(LAST_DREAM_KEY)?.seq ?? 0;
  const { dreamRows, dreamTokens } = ctx.loaded.config.context;
  const { lines, untrusted } = _boundedRows(
    ctx.db
      .prepare<[number, number], DreamRow>(
        `SELECT ts, kind, summary, (json_extract(data, '$.trust') = 'untrusted' OR json_extract(data, '$.tainted') = 1) AS outside FROM journal WHERE seq > ? ORDER BY seq DESC LIMIT ?`,
      )
      .all(since, dreamRows),
    dreamTokens * CHARS_PER_TOKEN,
  );
  const { day, time } = localDateParts(ctx.now(), ctx.loaded.timezone);
  const task: DreamTask = {
    stagingDir,
    dbFile: ctx.paths.database,
    model: ctx.loaded.config.model.name,
    maxTokens: Math.max(ctx.loaded.config.model.maxTokens, 4096),
    maxSteps: DREAM_STEPS,
    localNow: `${day} ${time.slice(0, 5)} (${ctx.loaded.timezone})`,
    recentJournal: lines,
  };
  return { task, untrustedInput: untrusted };
}

interface DreamRow {
  ts: string;
  kind: string;
  summary: string;
  /** The row quotes outside text: an untrusted event, or a tainted turn's words and results. */
  outside: number | null;
}

/** Newest first until the budget is spent, each row clipped; returned oldest first, and whether any quotes outside text. */
function _boundedRows(newestFirst: readonly DreamRow[], room: number): { lines: string[]; untrusted: boolean } {
  const lines = fitNewest(newestFirst.map((row) => clipText(`${row.ts} ${row.kind}: ${row.summary}`, ROW_CHARS)), room);
  // The rows kept are the newest `lines.length` ones.
  return { lines, untrusted: newestFirst.slice(0, lines.length).some((row) => row.outside === 1) };
}

function _fail({ ctx }: DreamDeps, reason: string): DreamResult {
  ctx.journal.append({ kind: "error", summary: `dream failed, memory left as it was: ${reason}`, data: { event: "dream-failed", reason } });
  return { outcome: "failed", reason };
}

function _describe(changes: MemoryChanges): string {
  if (!hasChanges(changes)) return "no change";
  const parts = [
    changes.added.length ? `${changes.added.length} added` : "",
    changes.changed.length ? `${changes.changed.length} changed` : "",
    changes.removed.length ? `${changes.removed.length} removed` : "",
  ].filter(Boolean);
  return `${parts.join(", ")} (index ${changes.indexBefore.length} → ${changes.indexAfter.length} lines)`;
}
