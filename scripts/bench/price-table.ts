export interface Prices {
  input: number;
  output: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/**
 * US dollars per million tokens, list prices as published for the Messages API: Sonnet-class for
 * the main model (input $3, output $15), Haiku-class for the triage model (input $1, output $5);
 * cache writes 2x input for 1 hour, reads 0.1x. Printed with every cost figure so the number can
 * be recomputed for other models.
 */
export const PRICE_PER_MTOK = { input: 3, output: 15, cacheWrite1h: 6, cacheRead: 0.3 } as const satisfies Prices;
export const TRIAGE_PRICE_PER_MTOK = { input: 1, output: 5, cacheWrite1h: 2, cacheRead: 0.1 } as const satisfies Prices;

export function costUsd(usage: { input: number; output: number; cacheRead: number; cacheWrite: number }, prices: Prices = PRICE_PER_MTOK): number {
  return (usage.input * prices.input + usage.output * prices.output + usage.cacheWrite * prices.cacheWrite1h + usage.cacheRead * prices.cacheRead) / 1e6;
}

/** A cost as the number of fresh main-model input tokens it would buy: one unit across models and caching. */
export function tokenEquivalents(usd: number): number {
  return Math.round((usd * 1e6) / PRICE_PER_MTOK.input);
}
