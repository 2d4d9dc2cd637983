import { SYSTEM_TIME_ZONE } from "../daemon/config/system-time-zone.js";

const _formatters = new Map<string, Intl.DateTimeFormat>();

function _formatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = _formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    _formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The last minute formatted per time zone: a burst of journal rows shares one Intl call, the slow part. */
const _lastMinute = new Map<string, { minute: number; day: string; hoursMinutes: string }>();

/**
 * Local calendar date (`YYYY-MM-DD`) and wall time (`HH:MM:SS`) of an instant in a time zone.
 * Every time zone's offset is whole minutes, so the seconds are the instant's own.
 */
export function localDateParts(instant: Date, timeZone: string): { day: string; time: string } {
  const ms = instant.getTime();
  const minute = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms - minute * 60_000) / 1000);
  if (timeZone === SYSTEM_TIME_ZONE) return _systemDateParts(instant, seconds);
  let cached = _lastMinute.get(timeZone);
  if (cached?.minute !== minute) {
    const parts = Object.fromEntries(_formatter(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
    cached = { minute, day: `${parts.year}-${parts.month}-${parts.day}`, hoursMinutes: `${parts.hour}:${parts.minute}` };
    _lastMinute.set(timeZone, cached);
  }
  return { day: cached.day, time: `${cached.hoursMinutes}:${String(seconds).padStart(2, "0")}` };
}

/** The same parts in the system zone, from Date's local getters (the zone Intl's default is): no Intl. */
function _systemDateParts(instant: Date, seconds: number): { day: string; time: string } {
  const pad = (value: number) => String(value).padStart(2, "0");
  return {
    day: `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`,
    time: `${pad(instant.getHours())}:${pad(instant.getMinutes())}:${pad(seconds)}`,
  };
}

export function localDay(instant: Date, timeZone: string): string {
  return localDateParts(instant, timeZone).day;
}

/** The instant a local wall time (`YYYY-MM-DD`, `HH:MM:SS`) names in a time zone (DST gaps move forward). */
export function zonedInstant(day: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${day}T${time}Z`);
  let guess = wall;
  // Two rounds settle the offset, also across a DST change between the guess and the answer.
  for (let round = 0; round < 2; round++) {
    const parts = localDateParts(new Date(guess), timeZone);
    guess += wall - Date.parse(`${parts.day}T${parts.time}Z`);
  }
  return new Date(guess);
}

/** A calendar date `days` away, by calendar arithmetic (DST-proof, unlike subtracting 24 hours). */
export function shiftDay(day: string, days: number): string {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year!, month! - 1, date! + days)).toISOString().slice(0, 10);
}
