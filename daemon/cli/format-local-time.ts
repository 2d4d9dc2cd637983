import { localDateParts, shiftDay } from "../../logs/local-day.js";

/** An instant as a person reads it in their time zone: `today 14:03:22`, `yesterday 09:10:00`, else the date. */
export function formatLocalTime(iso: string | null | undefined, now: Date, timeZone: string): string {
  if (!iso) return "never";
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const { day, time } = localDateParts(instant, timeZone);
  const today = localDateParts(now, timeZone).day;
  const label = day === today ? "today" : day === shiftDay(today, -1) ? "yesterday" : day === shiftDay(today, 1) ? "tomorrow" : day;
  return `${label} ${time}`;
}
