/**
 * US dollars per million tokens, Sonnet-class list prices as published for the Messages API
 * (input $3, output $15; cache writes 1.25× input for 5 minutes, 2× for 1 hour; cache reads 0.1×).
 * Printed with every cost figure so the number can be recomputed for another model.
 */
export const PRICE_PER_MTOK = { input: 3, output: 15, cacheWrite1h: 6, cacheRead: 0.3 } as const;

export function costUsd(usage: { input: number; output: number; cacheRead: number; cacheWrite: number }): number {
  return (
    (usage.input * PRICE_PER_MTOK.input +
      usage.output * PRICE_PER_MTOK.output +
      usage.cacheWrite * PRICE_PER_MTOK.cacheWrite1h +
      usage.cacheRead * PRICE_PER_MTOK.cacheRead) /
    1e6
  );
}
