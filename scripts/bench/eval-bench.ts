import { createAnthropicClient } from "../../daemon/brain/model-client.js";
import { configSchema } from "../../daemon/config/config-schema.js";
import { loadScenarios } from "../../daemon/eval/load-scenarios.js";
import { runScenarios } from "../../daemon/eval/run-scenarios.js";
import { shippedScenariosDir } from "../../daemon/eval/shipped-scenarios-dir.js";
import { startMessagesApiServer, toolUse } from "../../test/support/messages-api-server.js";
import { measure, type BenchFigure } from "./measure.js";

/**
 * The shipped suite against the loopback Messages API (always quiet, so one call a scenario): the
 * harness's own cost per scenario (sandbox, seeding, the turn, clean-up) without model latency,
 * and the size of a scenario's first prompt as the loopback server counts it (about 4 characters
 * a token; every scenario starts with a cold cache).
 */
export async function benchEval(): Promise<BenchFigure[]> {
  const server = await startMessagesApiServer({ fallback: () => toolUse("stay_quiet", { reason: "bench" }) });
  const env = { ANTHROPIC_API_KEY: "sk-bench", ANTHROPIC_BASE_URL: server.url };
  const client = createAnthropicClient({ env });
  const { scenarios } = loadScenarios(shippedScenariosDir());
  const base = configSchema.parse({});
  let tokens = 0;
  try {
    const wall = await measure("eval: shipped suite, harness time per scenario (4 at once)", "ms", 3, async () => {
      const started = performance.now();
      const results = await runScenarios(scenarios, { base, model: base.model.name, triageModel: undefined, client, env });
      tokens = results.reduce((sum, result) => sum + result.tokens, 0) / results.length;
      return (performance.now() - started) / results.length;
    });
    const perScenario = await measure("eval: tokens per scenario (first wake, cold cache)", "tokens", 1, () => Math.round(tokens));
    return [wall, perScenario];
  } finally {
    await server.close();
  }
}
