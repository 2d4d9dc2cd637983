import type { RawConfig } from "../../config/config-schema.js";
import { totalTokens, type UsageLedger } from "../../brain/usage-ledger.js";
import { estimateCostUsd } from "../review-digest.js";
import { shiftDay } from "../../../logs/local-day.js";

export interface CostHistory {
  days: string[];
  input: number[];
  cacheWrite: number[];
  cacheRead: number[];
  output: number[];
  costUsd: number[];
  /** Share of prompt tokens read from the cache over the whole span (0–1). */
  cacheHitShare: number;
  /** Tokens left of today's budget; null when there is no budget (0 in config). */
  budgetLeft: number | null;
  budget: number;
  unpriced: string[];
}

/** Tokens by type and estimated US$ per day for the `span` days up to `lastDay`, and today's budget. */
export function buildCostHistory(
  deps: { usage: UsageLedger; prices: RawConfig["review"]["prices"]; budget: number },
  lastDay: string,
  today: string,
  span = 14,
): CostHistory {
  const days = Array.from({ length: span }, (_, index) => shiftDay(lastDay, index - span + 1));
  const history: CostHistory = { days, input: [], cacheWrite: [], cacheRead: [], output: [], costUsd: [], cacheHitShare: 0, budgetLeft: null, budget: deps.budget, unpriced: [] };
  const unpriced = new Set<string>();
  for (const day of days) {
    const rows = deps.usage.byModel([day]);
    const sum = (key: "input" | "cacheWrite" | "cacheRead" | "output") => rows.reduce((total, row) => total + row[key], 0);
    history.input.push(sum("input"));
    history.cacheWrite.push(sum("cacheWrite"));
    history.cacheRead.push(sum("cacheRead"));
    history.output.push(sum("output"));
    history.costUsd.push(rows.reduce((total, row) => total + (deps.prices[row.model] ? estimateCostUsd(row, deps.prices[row.model]!) : (unpriced.add(row.model), 0)), 0));
  }
  const read = history.cacheRead.reduce((a, b) => a + b, 0);
  const prompt = read + history.input.reduce((a, b) => a + b, 0) + history.cacheWrite.reduce((a, b) => a + b, 0);
  history.cacheHitShare = prompt ? read / prompt : 0;
  history.budgetLeft = deps.budget ? Math.max(0, deps.budget - totalTokens(deps.usage.forDay(today))) : null;
  history.unpriced = [...unpriced];
  return history;
}
