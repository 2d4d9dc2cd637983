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
