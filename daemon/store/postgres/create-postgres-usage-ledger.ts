import type { TokenCounts } from "../store-records.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

/** The usage ledger (tokens per day and model) on PostgreSQL: record and the day's total, as on SQLite. */
export interface PostgresUsageLedger {
  record(day: string, model: string, usage: TokenCounts): Promise<void>;
  forDay(day: string): Promise<TokenCounts>;
}

// Nodes recording the same day and model at once serialize on the row; each adds its own counts.
const RECORD = {
  name: "vigil_usage_record",
  text: `INSERT INTO vigil.usage AS u (day, model, calls, input, output, cache_read, cache_write) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (day, model) DO UPDATE SET calls = u.calls + excluded.calls, input = u.input + excluded.input, output = u.output + excluded.output,
           cache_read = u.cache_read + excluded.cache_read, cache_write = u.cache_write + excluded.cache_write`,
};
const FOR_DAY = {
  name: "vigil_usage_for_day",
  text: `SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(input), 0) AS input, coalesce(sum(output), 0) AS output,
           coalesce(sum(cache_read), 0) AS "cacheRead", coalesce(sum(cache_write), 0) AS "cacheWrite" FROM vigil.usage WHERE day = $1`,
};

export function createPostgresUsageLedger(db: PostgresQueryable): PostgresUsageLedger {
  return {
    record: async (day, model, usage) => void (await db.query({ ...RECORD, values: [day, model, usage.calls, usage.input, usage.output, usage.cacheRead, usage.cacheWrite] })),
    async forDay(day) {
      const row = (await db.query<Record<keyof TokenCounts, string>>({ ...FOR_DAY, values: [day] })).rows[0]!;
      return { calls: Number(row.calls), input: Number(row.input), output: Number(row.output), cacheRead: Number(row.cacheRead), cacheWrite: Number(row.cacheWrite) };
    },
  };
}
