import type { TokenUsage } from "../brain/usage-ledger.js";
import type { RawConfig } from "../config/config-schema.js";

export interface CostEstimate {
  costUsd: number;
  /** Models with no entry in `review.prices`: their tokens are counted but not priced. */
  unpriced: string[];
}

/** US dollars for usage per model, from the configured price table (per million tokens). */
export function estimateCost(rows: ReadonlyArray<TokenUsage & { model: string }>, prices: RawConfig["review"]["prices"]): CostEstimate {
  let costUsd = 0;
  const unpriced: string[] = [];
  for (const row of rows) {
    const price = prices[row.model];
    if (!price) unpriced.push(row.model);
    else costUsd += (row.input * price.input + row.output * price.output + row.cacheWrite * price.cacheWrite + row.cacheRead * price.cacheRead) / 1e6;
  }
  return { costUsd, unpriced };
}
