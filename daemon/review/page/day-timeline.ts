import type { RawConfig } from "../../config/config-schema.js";
import { totalTokens, type TokenUsage } from "../../brain/usage-ledger.js";
import type { VigilDatabase } from "../../store/open-database.js";
import type { JournalEntry } from "../../../logs/journal-entry.js";
import { localDateParts } from "../../../logs/local-day.js";
import { queryEntries } from "../../../logs/query-entries.js";
import { estimateCostUsd } from "../../../logs/review-digest.js";

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
  const rows = days.flatMap((day) => queryEntries(db, { day })).map((entry) => {
    const row = _row(entry, options.timeZone, price);
    counts[row.k] = (counts[row.k] ?? 0) + 1;
    return row;
  });
  return { days: [...days], rows, counts };
}

function _row(entry: JournalEntry, timeZone: string, price: Prices[string] | undefined): TimelineRow {
  const row: TimelineRow = { s: entry.seq, t: localDateParts(new Date(entry.ts), timeZone).time, k: entry.kind, m: entry.summary };
  const { data } = entry;
  if ((entry.kind === "quiet" || entry.kind === "decided") && "usage" in data && "events" in data) {
    row.k = "wake";
    row.n = String(data.reason);
    if (entry.kind === "quiet") row.q = 1;
    const usage = data.usage as TokenUsage | undefined;
    if (usage) row.u = [totalTokens(usage), price ? Math.round(estimateCostUsd(usage, price) * 1e6) / 1e6 : 0];
  } else if (entry.kind === "acted" && data.outcome !== undefined) {
    row.n = String(data.outcome);
  } else if (entry.kind === "decided" && typeof data.reason === "string" && !entry.summary.includes(data.reason)) {
    row.n = data.reason;
  }
  return row;
}
