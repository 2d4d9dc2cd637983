import type { RawConfig } from "../../config/config-schema.js";
import { totalTokens, type TokenUsage } from "../../brain/usage-ledger.js";
import type { VigilDatabase } from "../../store/open-database.js";
import type { JournalEntry } from "../../../logs/journal-entry.js";
import { localDateParts } from "../../../logs/local-day.js";
import { queryEntries } from "../../../logs/query-entries.js";
import { estimateCostUsd } from "../review-digest.js";

/**
 * One timeline row as the page gets it: short keys, because a busy day has thousands of rows and
 * the whole page must stay under 150 KB. `data` is not sent; the page asks for it on demand.
 */
export interface TimelineRow {
  /** journal seq */
  s: number;
  /** local wall time, HH:MM:SS */
  t: string;
  /** kind, or "wake" for the row that ends a turn (quiet or decided, with the wake's reason and usage) */
  k: string;
  /** summary */
  m: string;
  /** a short note: the wake reason, an action's outcome, why a call was held */
  n?: string;
  /** a wake's tokens and estimated US$ */
  u?: [number, number];
  /** 1 when the wake stayed quiet (folded on the page) */
  q?: 1;
  /** 1 for a routine event (files, clock, schedules; not a person or GitHub), folded with quiet wakes */
  r?: 1;
}

export interface DayTimeline {
  days: string[];
  rows: TimelineRow[];
  counts: Record<string, number>;
}

type Prices = RawConfig["review"]["prices"];

/** The journal of some days as timeline rows, in seq order. */
export function buildDayTimeline(db: VigilDatabase, days: readonly string[], options: { timeZone: string; prices: Prices; model: string }): DayTimeline {
  const price = options.prices[options.model];
  const counts: Record<string, number> = {};
  const wallTime = _wallClock(options.timeZone);
  const rows = days.flatMap((day) => queryEntries(db, { day })).map((entry) => {
    const row = _row(entry, wallTime(entry.ts), price);
    counts[row.k] = (counts[row.k] ?? 0) + 1;
    return row;
  });
  return { days: [...days], rows, counts };
}

function _row(entry: JournalEntry, time: string, price: Prices[string] | undefined): TimelineRow {
  const row: TimelineRow = { s: entry.seq, t: time, k: entry.kind, m: entry.summary };
  const { data } = entry;
  if ((entry.kind === "quiet" || entry.kind === "decided") && "usage" in data && "events" in data) {
    row.k = "wake";
    row.n = String(data.reason);
    if (entry.kind === "quiet") row.q = 1;
    const usage = data.usage as TokenUsage | undefined;
    if (usage) row.u = [totalTokens(usage), price ? Math.round(estimateCostUsd(usage, price) * 1e6) / 1e6 : 0];
  } else if (entry.kind === "noticed" && data.source !== "github" && data.source !== "user") {
    row.r = 1;
  } else if (entry.kind === "acted" && data.outcome !== undefined) {
    row.n = String(data.outcome);
  } else if (entry.kind === "decided" && typeof data.reason === "string" && !entry.summary.includes(data.reason)) {
    row.n = data.reason;
  }
  return row;
}

/**
 * HH:MM:SS in the time zone, with its UTC offset worked out once per quarter hour (every zone
 * changes offset on a quarter-hour instant): Intl per row costs more than the rest of the page.
 */
function _wallClock(timeZone: string): (ts: string) => string {
  const offsets = new Map<number, number>();
  return (ts) => {
    const ms = Date.parse(ts);
    const bucket = Math.floor(ms / 900_000);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const probe = new Date(bucket * 900_000);
      const { day, time } = localDateParts(probe, timeZone);
      offset = Date.parse(`${day}T${time}Z`) - probe.getTime();
      offsets.set(bucket, offset);
    }
    return new Date(ms + offset).toISOString().slice(11, 19);
  };
}
