import { lastEntry } from "../../logs/query-entries.js";
import { localDay } from "../../logs/local-day.js";
import type { ModelClient } from "../brain/model-client.js";
import { runTurn } from "../brain/run-turn.js";
import { addUsage, createUsageLedger, NO_USAGE, type TokenUsage } from "../brain/usage-ledger.js";
import { createJournalOnlyNotifier } from "../notify/notifier.js";
import { assembleRuntime } from "../supervisor/assemble-runtime.js";
import { estimateCost } from "./estimate-cost.js";
import type { EvalSandbox } from "./open-eval-sandbox.js";
import { createRecordingRunner, type RecordedCall } from "./record-tool-calls.js";

export type Decision = "act" | "quiet" | "error";

export interface RecordedTurn {
  decided: Decision;
  calls: RecordedCall[];
  /** The turn's own last word: stay_quiet's reason, or its closing text. */
  summary: string;
  events: number;
  usage: TokenUsage;
  costUsd: number;
  unpriced: string[];
}

/**
 * The real turn (prompt builder, triage, tool loop, schemas) over a seeded sandbox, with the tool
 * runner swapped for a recorder. The runtime is the daemon's own; its notifier only journals.
 */
export async function runRecordedTurn(sandbox: EvalSandbox, client: ModelClient, reason: string, timeoutMs = 5 * 60_000): Promise<RecordedTurn> {
  const { ctx } = sandbox;
  const runtime = assembleRuntime(ctx, { client, notifier: createJournalOnlyNotifier(), turnTimeoutMs: timeoutMs });
  const recorder = createRecordingRunner(runtime.turn.toolDeps.registry);
  const outcome = await runTurn({ ...runtime.turn, runTool: recorder.runTool }, reason);
  const rows = createUsageLedger(ctx.db).byModel([localDay(ctx.now(), ctx.loaded.timezone)]);
  const usage = rows.reduce<TokenUsage>((sum, row) => addUsage(sum, row), NO_USAGE);
  const cost = estimateCost(rows, ctx.loaded.config.review.prices);
  const last = lastEntry(ctx.db);
  const summary = outcome.outcome === "failed" ? outcome.error.message : last?.data.turnId === outcome.turnId ? last.summary : "";
  const decided: Decision = outcome.outcome === "failed" ? "error" : outcome.outcome === "acted" ? "act" : "quiet";
  return { decided, calls: recorder.calls, summary, events: outcome.events, usage, ...cost };
}
