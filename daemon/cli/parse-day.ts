import { localDay, shiftDay } from "../../logs/local-day.js";
import { UsageError } from "./exit-codes.js";

/** `YYYY-MM-DD`, `today` or `yesterday` (in the user's time zone) to a calendar date. */
export function parseDay(value: string, now: Date, timeZone: string): string {
  if (value === "today") return localDay(now, timeZone);
  if (value === "yesterday") return shiftDay(localDay(now, timeZone), -1);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match && new Date(`${value}T00:00:00Z`);
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`--day "${value}" is not a day: use YYYY-MM-DD, today or yesterday`);
  }
  return value;
}
