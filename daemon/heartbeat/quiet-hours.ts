import { localDateParts } from "../../logs/local-day.js";

/** Whether `now` falls in quiet hours; a window like 22:00–07:00 wraps past midnight. */
export function isQuietTime(now: Date, quietHours: { start: string; end: string } | null, timeZone: string): boolean {
  if (!quietHours || quietHours.start === quietHours.end) return false;
  const current = localDateParts(now, timeZone).time.slice(0, 5);
  const { start, end } = quietHours;
  return start < end ? current >= start && current < end : current >= start || current < end;
}
