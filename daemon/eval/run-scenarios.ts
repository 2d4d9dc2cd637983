import type { ModelClient } from "../brain/model-client.js";
import { totalTokens, type TokenUsage, NO_USAGE } from "../brain/usage-ledger.js";
import type { RawConfig } from "../config/config-schema.js";
import { judgeScenario } from "./judge-scenario.js";
import type { ScenarioFile } from "./load-scenarios.js";
import { mapWithLimit } from "./map-with-limit.js";
import { openEvalSandbox } from "./open-eval-sandbox.js";
import type { RecordedCall } from "./record-tool-calls.js";
import { runRecordedTurn, type Decision } from "./run-recorded-turn.js";
import { seedScenario } from "./seed-scenario.js";

/** How many scenarios run at once unless told otherwise: enough to hide latency, few enough for rate limits. */
export const DEFAULT_CONCURRENCY = 4;

export interface EvalRunOptions {
  base: RawConfig;
  model: string;
  triageModel: string | undefined;
  client: ModelClient;
  env?: NodeJS.ProcessEnv;
  concurrency?: number;
  onProgress?: (done: number, total: number, id: string) => void;
}

export interface ScenarioResult {
  id: string;
  file: string;
  expected: "act" | "quiet";
  injection: boolean;
  decided: Decision;
  /** Every tool the model called, in order (read-only ones too). */
  tools: string[];
  calls: RecordedCall[];
  pass: boolean;
  why: string;
  summary: string;
  usage: TokenUsage;
  tokens: number;
  costUsd: number;
  unpriced: string[];
}

/** Each scenario in its own fresh sandbox, through the real turn, `concurrency` at a time. */
export async function runScenarios(files: readonly ScenarioFile[], options: EvalRunOptions): Promise<ScenarioResult[]> {
  let done = 0;
  return mapWithLimit(files, options.concurrency ?? DEFAULT_CONCURRENCY, async (file) => {
    const result = await runScenario(file, options);
    options.onProgress?.(++done, files.length, file.scenario.id);
    return result;
  });
}

export async function runScenario({ file, scenario }: ScenarioFile, options: EvalRunOptions): Promise<ScenarioResult> {
  const base = { id: scenario.id, file, expected: scenario.expect, injection: scenario.injection };
  const sandbox = openEvalSandbox({
    base: options.base,
    model: options.model,
    triageModel: options.triageModel,
    timezone: scenario.situation.timezone,
    quietHours: scenario.situation.quietHours,
    now: new Date(scenario.situation.now),
    env: options.env,
  });
  try {
    const reason = seedScenario(sandbox, scenario);
    const turn = await runRecordedTurn(sandbox, options.client, reason);
    const verdict = judgeScenario(scenario, turn);
    const { calls, usage, costUsd, unpriced, summary, decided } = turn;
    return { ...base, decided, tools: calls.map((call) => call.name), calls, pass: verdict.pass, why: verdict.why, summary, usage, tokens: totalTokens(usage), costUsd, unpriced };
  } catch (error) {
    // A scenario that cannot be set up is a failed scenario, never a failed run.
    const message = (error as Error).message;
    return { ...base, decided: "error", tools: [], calls: [], pass: false, why: message, summary: message, usage: NO_USAGE, tokens: 0, costUsd: 0, unpriced: [] };
  } finally {
    sandbox.dispose();
  }
}
