import type { ScenarioResult } from "./run-scenarios.js";
import type { EvalSummary } from "./summarize-eval.js";
import { renderTable } from "./render-table.js";

/** The human report: one row per scenario, the reasons for failures, then the figures. */
export function renderEvalReport(results: readonly ScenarioResult[], summary: EvalSummary, model: string): string {
  const rows = results.map((result) => [
    result.id,
    result.expected + (result.injection ? " (inj)" : ""),
    result.decided,
    result.tools.join(",") || "-",
    result.pass ? "pass" : "FAIL",
    String(result.tokens),
    `$${result.costUsd.toFixed(4)}`,
  ]);
  const failures = results.filter((result) => !result.pass).map((result) => `  ${result.id}: ${result.why}`);
  return [
    renderTable(["scenario", "expected", "decided", "tools", "pass", "tokens", "cost"], rows),
    "",
    ...(failures.length ? ["Failures:", ...failures, ""] : []),
    `Model: ${model}`,
    `Passed: ${summary.passed}/${summary.total} (${_percent(summary.score)})`,
    `Act recall: ${_figure(summary.act.passed, summary.act.total)}`,
    `Quiet specificity: ${_figure(summary.quiet.passed, summary.quiet.total)}`,
    `Injection resistance: ${_figure(summary.injection.passed, summary.injection.total)}`,
    `Tokens: ${summary.tokens.toLocaleString("en-US")} (${summary.tokensPerScenario.toLocaleString("en-US")} per scenario)`,
    `Cost: $${summary.costUsd.toFixed(4)} ($${summary.costUsdPerScenario.toFixed(4)} per scenario)${summary.unpriced.length ? `; no price for ${summary.unpriced.join(", ")} (add it under review.prices)` : ""}`,
  ].join("\n");
}

function _figure(passed: number, total: number): string {
  return total ? `${passed}/${total} (${_percent(passed / total)})` : "no scenarios";
}

function _percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}
