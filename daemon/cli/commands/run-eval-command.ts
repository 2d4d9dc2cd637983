import { createAnthropicClient, type ModelClient } from "../../brain/model-client.js";
import { loadConfig } from "../../config/load-config.js";
import { resolvePaths } from "../../paths/resolve-paths.js";
import { loadScenarios } from "../../eval/load-scenarios.js";
import { renderEvalReport } from "../../eval/render-eval-report.js";
import { renderReplayReport } from "../../eval/render-replay-report.js";
import { replayDay } from "../../eval/replay-day.js";
import { runScenarios } from "../../eval/run-scenarios.js";
import { shippedScenariosDir } from "../../eval/shipped-scenarios-dir.js";
import { summarizeEval } from "../../eval/summarize-eval.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { parseDay } from "../parse-day.js";
import { withContext } from "../with-context.js";

export interface EvalOptions {
  scenarios?: string;
  model?: string;
  triageModel?: string;
  only?: string[];
  json?: boolean;
  minScore?: string;
}

export async function runEvalCommand(io: CliIo, options: EvalOptions): Promise<number> {
  const minScore = _parseMinScore(options.minScore);
  const loaded = loadConfig(resolvePaths(io.env).config, io.env);
  const client = _modelClient(io.env);
  const dir = options.scenarios ?? shippedScenariosDir();
  const { scenarios, problems } = _loadFrom(dir);
  for (const problem of problems) writeLine(io.stderr, `vigil: scenario skipped: ${problem.message}`);
  const chosen = options.only ? _choose(scenarios, options.only) : scenarios;
  const model = options.model ?? loaded.config.model.name;
  const results = await runScenarios(chosen, {
    base: loaded.config,
    model,
    triageModel: options.triageModel ?? loaded.config.model.triageModel,
    client,
    env: io.env,
    onProgress: _progress(io),
  });
  const summary = summarizeEval(results);
  if (options.json) {
    const scenarioRows = results.map(({ calls: _calls, ...result }) => result);
    writeLine(io.stdout, JSON.stringify({ model, scenarios: scenarioRows, summary, problems }, null, 2));
  } else writeLine(io.stdout, renderEvalReport(results, summary, model));
  if (minScore !== undefined && summary.score < minScore) {
    writeLine(io.stderr, `vigil: score ${summary.score.toFixed(3)} is below --min-score ${minScore}`);
    return EXIT.failed;
  }
  return problems.length ? EXIT.usage : EXIT.ok;
}

export async function runReplayCommand(io: CliIo, options: { day: string; model?: string }): Promise<number> {
  const client = _modelClient(io.env);
  return withContext(io, async (ctx) => {
    const day = parseDay(options.day, ctx.now(), ctx.loaded.timezone);
    const model = options.model ?? ctx.loaded.config.model.name;
    const wakes = await replayDay(ctx, day, { client, model, triageModel: ctx.loaded.config.model.triageModel, onProgress: _progress(io) });
    writeLine(io.stdout, renderReplayReport(day, wakes, model));
    return EXIT.ok;
  });
}

/** Eval talks to the configured Messages API whatever model.provider says: rules have no judgment to measure. */
function _modelClient(env: NodeJS.ProcessEnv): ModelClient {
  if (!env.ANTHROPIC_API_KEY && !env.ANTHROPIC_AUTH_TOKEN) {
    throw new UsageError("vigil eval needs a Messages API: export ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a server other than Anthropic's)");
  }
  return createAnthropicClient({ env });
}

function _loadFrom(dir: string): ReturnType<typeof loadScenarios> {
  try {
    return loadScenarios(dir);
  } catch (error) {
    throw new UsageError(`--scenarios ${dir}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : (error as Error).message}; pass a directory of scenario .yaml files`);
  }
}

function _choose<T extends { scenario: { id: string } }>(scenarios: readonly T[], ids: readonly string[]): T[] {
  const known = new Set(scenarios.map((file) => file.scenario.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw new UsageError(`--only: no scenario ${unknown.map((id) => `"${id}"`).join(", ")}; run vigil eval --json to list the ids`);
  return scenarios.filter((file) => ids.includes(file.scenario.id));
}

function _parseMinScore(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const score = Number(value);
  if (!Number.isFinite(score) || score < 0 || score > 1) throw new UsageError(`--min-score "${value}" is not a share: use a number from 0 to 1, e.g. --min-score 0.9`);
  return score;
}

/** A single updating line on a terminal; nothing when output goes to a file or a pipe. */
function _progress(io: CliIo): ((done: number, total: number, id: string) => void) | undefined {
  const stream = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  if (!stream.isTTY) return undefined;
  return (done, total, id) => stream.write(`\r\x1b[2K  ${done}/${total} ${id}${done === total ? "\n" : ""}`);
}
