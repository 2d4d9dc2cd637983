/**
 * How long GitHub asks us to wait, from a response's headers: `Retry-After` (seconds),
 * `X-Poll-Interval` (seconds), and an exhausted `X-RateLimit-Remaining` until `X-RateLimit-Reset`.
 */
export function readRateLimitDelay(headers: Record<string, string | number | undefined>, now: Date): number {
  const seconds = (name: string) => Number(headers[name] ?? 0) || 0;
  let delayMs = Math.max(seconds("retry-after"), seconds("x-poll-interval")) * 1000;
  if (headers["x-ratelimit-remaining"] !== undefined && Number(headers["x-ratelimit-remaining"]) === 0) {
    delayMs = Math.max(delayMs, seconds("x-ratelimit-reset") * 1000 - now.getTime());
  }
  return delayMs;
}
