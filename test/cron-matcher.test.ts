import { afterEach, describe, expect, it } from "vitest";
import { createCronMatcher } from "../daemon/config/cron-matcher.js";
import { loadCron } from "../daemon/config/load-cron.js";
import { SYSTEM_TIME_ZONE } from "../daemon/config/system-time-zone.js";

const originalTz = process.env.TZ;

afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

/** Vigil's default jobs, the DST gap and repeat, and every day and weekday token node-cron 4.6 knows. */
const EXPRESSIONS = [
  "0 3 * * *", // dream
  "0 8 * * *", // morning review
  "0 0 * * *", // journal anchor
  "*/15 * * * *",
  "30 2 * * *", // in the spring-forward gap in New York and Berlin
  "30 1 * * 0", // in the fall-back repeated hour in New York
  "0 9 * * 1-5",
  "0 12 L * *",
  "0 9 15W,LW,1W * *",
  "0 18 L-2 * *",
  "0 10 * * 5L,7L",
  "0 10 * * 1#2,sun#5",
  "0 0 1,15 * 0", // day of month and day of week must both match in node-cron
  "@weekly",
  "0 9 ? jan,jul mon-wed",
  "30 */20 0-5 * * *", // six fields: seconds
];

/**
 * Instants in the current TZ: every minute within 14 hours of each offset change in 2026 (DST), every
 * day of 2026 and of February 2028 at the hours the expressions name (and 30 s past, for the
 * seconds field), and every 97 minutes over the year.
 */
function _instants(): Date[] {
  const instants: number[] = [];
  const start = new Date(2026, 0, 1).getTime();
  const end = new Date(2027, 0, 1).getTime();
  for (let hour = start; hour < end; hour += 3_600_000) {
    if (new Date(hour).getTimezoneOffset() === new Date(hour + 3_600_000).getTimezoneOffset()) continue;
    for (let minute = hour - 14 * 3_600_000; minute < hour + 14 * 3_600_000; minute += 60_000) instants.push(minute);
  }
  const days = [...Array.from({ length: 365 }, (_, i) => [2026, 0, 1 + i]), ...Array.from({ length: 29 }, (_, i) => [2028, 1, 1 + i])];
  for (const [year, month, day] of days) {
    for (const [hour, minute] of [[0, 0], [1, 30], [2, 30], [3, 0], [8, 0], [9, 0], [10, 0], [12, 0], [18, 0], [4, 20]]) {
      instants.push(new Date(year!, month!, day!, hour, minute).getTime(), new Date(year!, month!, day!, hour, minute, 30).getTime());
    }
  }
  for (let minute = start; minute < end; minute += 97 * 60_000) instants.push(minute);
  return instants.map((ms) => new Date(ms));
}

describe("cron matching in the system zone without Intl", () => {
  for (const zone of ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]) {
    it(`matches exactly what node-cron matches in ${zone}, across DST and month ends`, () => {
      // Node resets Date's local zone when TZ is assigned; node-cron is given the zone by name.
      process.env.TZ = zone;
      const instants = _instants();
      for (const cron of EXPRESSIONS) {
        const local = createCronMatcher(cron, SYSTEM_TIME_ZONE);
        const nodeCron = loadCron().createTask(cron, () => {}, { timezone: zone });
        const differing = instants.filter((instant) => local.match(instant) !== nodeCron.match(instant));
        expect(differing.map((instant) => `${cron} at ${instant.toISOString()}`)).toEqual([]);
        expect(instants.some((instant) => local.match(instant))).toBe(true);
      }
    });
  }

  it("reads node-cron's parsed fields in the shape it was written for", () => {
    // If this fails, node-cron changed how `parse` hands back L, W, # and names: re-check
    // daemon/config/cron-matcher.ts against the new TimeMatcher.match before updating this.
    expect(loadCron().parse("*/20 0 9 LW,15W,L-2,L jan,dec 5L,1#2,7L,sun")).toEqual({
      second: [0, 20, 40],
      minute: [0],
      hour: [9],
      dayOfMonth: ["LW", "15W", "L-2", "L"],
      month: [1, 12],
      dayOfWeek: ["5L", "1#2", "0L", 0],
    });
  });

  it("a named zone is matched by node-cron in that zone, whatever the system zone", () => {
    process.env.TZ = "America/New_York";
    const tokyo = createCronMatcher("0 3 * * *", "Asia/Tokyo");
    expect(tokyo.match(new Date("2026-07-01T18:00:00Z"))).toBe(true); // 03:00 in Tokyo
    expect(tokyo.match(new Date("2026-07-01T07:00:00Z"))).toBe(false); // 03:00 in New York
    expect(createCronMatcher("0 3 * * *", SYSTEM_TIME_ZONE).match(new Date("2026-07-01T07:00:00Z"))).toBe(true);
  });

  it("an invalid expression is refused with node-cron's message", () => {
    expect(() => createCronMatcher("0 25 * * *", SYSTEM_TIME_ZONE)).toThrow(/25 is a invalid expression for hour/);
    expect(() => createCronMatcher("0 3 * *", SYSTEM_TIME_ZONE)).toThrow(/expected 5 or 6 fields/);
  });
});
