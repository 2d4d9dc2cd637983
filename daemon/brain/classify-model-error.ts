/** The API refused the request for its size: a smaller batch may go through. */
export function isPromptTooLong(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  if (status === 413) return true;
  return status === 400 && /prompt is too long|too many (input )?tokens|request too large|context (length|window)/i.test(String((error as Error).message));
}

/**
 * Whether a failed turn may be its events' own doing, so it counts towards their quarantine: a
 * request the API refused as invalid (400, 413, 422), or a crash on their content. An outage, a
 * rate limit, a bad key, a timeout or a stop is nobody's event's fault.
 */
export function blamesEvents(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  if (typeof status === "number") return status === 400 || status === 413 || status === 422;
  const name = (error as Error).name ?? "";
  return !/Abort|Timeout|Connection/.test(name);
}
