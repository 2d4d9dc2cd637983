import type { VigilDatabase } from "../store/open-database.js";

/** Token counts of one or more model calls, as the Messages API reports them. */
export interface TokenUsage {
  calls: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const NO_USAGE: TokenUsage = { calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { calls: a.calls + b.calls, input: a.input + b.input, output: a.output + b.output, cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite };
}

/** Every token the API counted, cached or not: what the daily budget is measured in. */
export function totalTokens(usage: TokenUsage): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
}

export interface UsageLedger {
  record(day: string, model: string, usage: TokenUsage): void;
  forDay(day: string): TokenUsage;
  /** Usage per model over some days, for cost estimates. */
  byModel(days: readonly string[]): Array<TokenUsage & { model: string }>;
}

export function createUsageLedger(db: VigilDatabase): UsageLedger {
  const upsert = db.prepare(`
    INSERT INTO usage (day, model, calls, input, output, cache_read, cache_write) VALUES (@day, @model, @calls, @input, @output, @cacheRead, @cacheWrite)
    ON CONFLICT (day, model) DO UPDATE SET calls = calls + excluded.calls, input = input + excluded.input, output = output + excluded.output,
      cache_read = cache_read + excluded.cache_read, cache_write = cache_write + excluded.cache_write`);
  const sum = db.prepare<[string], TokenUsage>(`
    SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(input), 0) AS input, coalesce(sum(output), 0) AS output,
      coalesce(sum(cache_read), 0) AS cacheRead, coalesce(sum(cache_write), 0) AS cacheWrite FROM usage WHERE day = ?`);
  return {
    record: (day, model, usage) => void upsert.run({ day, model, ...usage }),
    forDay: (day) => sum.get(day)!,
    byModel: (days) =>
      db
        .prepare<string[], TokenUsage & { model: string }>(
          `SELECT model, sum(calls) AS calls, sum(input) AS input, sum(output) AS output, sum(cache_read) AS cacheRead, sum(cache_write) AS cacheWrite
           FROM usage WHERE day IN (${days.map(() => "?").join(", ") || "NULL"}) GROUP BY model ORDER BY model`,
        )
        .all(...days),
  };
}
