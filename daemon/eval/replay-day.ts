import { cpSync, existsSync } from "node:fs";
import type { ModelClient } from "../brain/model-client.js";
import type { VigilContext } from "../context/open-context.js";
import { actingTools } from "./judge-scenario.js";
import { mapWithLimit } from "./map-with-limit.js";
import { openEvalSandbox } from "./open-eval-sandbox.js";
import { readPastWakes, type PastWake } from "./read-past-wakes.js";
import { runRecordedTurn, type RecordedTurn } from "./run-recorded-turn.js";
import { DEFAULT_CONCURRENCY } from "./run-scenarios.js";

export interface ReplayedWake {
  was: PastWake;
  now: RecordedTurn;
  /** The decision changed, or it acted with other tools. */
  differs: boolean;
}

export interface ReplayOptions {
  client: ModelClient;
  model: string;
  triageModel: string | undefined;
  concurrency?: number;
  onProgress?: (done: number, total: number, id: string) => void;
}

/**
 * Each wake of the day again, with today's prompt builder and the chosen model: a sandbox gets
 * the journal rows that preceded the wake (at their times), the events it consumed, and the
 * current memory; the turn then runs with tools recorded. The user's own home is only read.
 */
export async function replayDay(ctx: VigilContext, day: string, options: ReplayOptions): Promise<ReplayedWake[]> {
  const wakes = readPastWakes(ctx.db, day);
  let done = 0;
  return mapWithLimit(wakes, options.concurrency ?? DEFAULT_CONCURRENCY, async (wake) => {
    const now = await _replayWake(ctx, wake, options);
    options.onProgress?.(++done, wakes.length, wake.turnId);
    const before = [...wake.actions].sort().join(",");
    const after = actingTools(now).sort().join(",");
    return { was: wake, now, differs: now.decided !== wake.decided || before !== after };
  });
}

async function _replayWake(ctx: VigilContext, wake: PastWake, options: ReplayOptions): Promise<RecordedTurn> {
  const sandbox = openEvalSandbox({
    base: ctx.loaded.config,
    model: options.model,
    triageModel: options.triageModel,
    timezone: ctx.loaded.timezone,
    now: new Date(wake.startedAt),
    env: ctx.env,
  });
  try {
    if (existsSync(ctx.paths.memoryDir)) cpSync(ctx.paths.memoryDir, sandbox.ctx.paths.memoryDir, { recursive: true });
    for (const entry of wake.recentJournal) {
      sandbox.setClock(new Date(entry.ts));
      sandbox.ctx.journal.append({ kind: entry.kind, summary: entry.summary, data: entry.data });
    }
    for (const { receivedAt, source, type, trust, urgent, summary, payload } of wake.events) {
      sandbox.setClock(new Date(receivedAt));
      sandbox.ctx.events.enqueue({ source, type, trust, urgent, summary, payload });
    }
    sandbox.setClock(new Date(wake.startedAt));
    return await runRecordedTurn(sandbox, options.client, wake.reason);
  } finally {
    sandbox.dispose();
  }
}
