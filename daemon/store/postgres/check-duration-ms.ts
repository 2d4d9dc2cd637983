/**
 * A lease's time to live or a staleness, in milliseconds: a positive whole number, else an error
 * naming `what` (the database would take NaN or a negative interval and do the wrong thing quietly).
 */
export function checkDurationMs(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${what} must be a positive whole number of milliseconds, not ${String(value)}`);
  return value;
}
