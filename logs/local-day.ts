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

/** Local calendar date (`YYYY-MM-DD`) and wall time (`HH:MM:SS`) of an instant in a time zone. */
export function localDateParts(instant: Date, timeZone: string): { day: string; time: string } {
  const parts = Object.fromEntries(_formatter(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

export function localDay(instant: Date, timeZone: string): string {
  return localDateParts(instant, timeZone).day;
}

/** A calendar date `days` away, by calendar arithmetic (DST-proof, unlike subtracting 24 hours). */
export function shiftDay(day: string, days: number): string {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year!, month! - 1, date! + days)).toISOString().slice(0, 10);
}
