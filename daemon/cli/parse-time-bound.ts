import { localDay, shiftDay, zonedInstant } from "../../logs/local-day.js";
import { UsageError } from "./exit-codes.js";

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `--since` / `--until` as journalctl reads them: a span back from now (`90s`, `30m`, `2h`,
 * `3d`, `1w`), `now`, `today`/`yesterday` or a `YYYY-MM-DD` (that day's local midnight), or an
 * ISO time (local to the config's time zone unless it names its own offset). Returns ISO UTC.
 */
export function parseTimeBound(value: string, flag: string, now: Date, timeZone: string): string {
  const text = value.trim();
  const span = /^(\d+)\s*([smhdw])$/.exec(text);
  if (span) return new Date(now.getTime() - Number(span[1]) * UNIT_MS[span[2]!]!).toISOString();
  if (text === "now") return now.toISOString();
  if (text === "today") return zonedInstant(localDay(now, timeZone), "00:00:00", timeZone).toISOString();
  if (text === "yesterday") return zonedInstant(shiftDay(localDay(now, timeZone), -1), "00:00:00", timeZone).toISOString();
  const local = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?)?$/.exec(text);
  if (local && !Number.isNaN(Date.parse(`${local[1]}T00:00:00Z`))) return zonedInstant(local[1]!, `${local[2] ?? "00:00"}${local[3] ?? ":00"}`, timeZone).toISOString();
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))) return new Date(text).toISOString();
  throw new UsageError(`${flag} "${value}" is not a time: use a span back from now (30m, 2h, 3d), today, yesterday, YYYY-MM-DD, or an ISO time`);
}
