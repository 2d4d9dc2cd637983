import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../daemon/config/load-config.js";
import { SYSTEM_TIME_ZONE, timeZoneName } from "../daemon/config/system-time-zone.js";
import { localDateParts, zonedInstant } from "../logs/local-day.js";
import { makeTempHome } from "./support/temp-home.js";

const originalTz = process.env.TZ;

afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

/** Every 37 minutes over a year: both DST changes, midnights and month ends. */
function _instants(): Date[] {
  const start = Date.UTC(2026, 0, 1, 0, 7, 13);
  return Array.from({ length: (366 * 24 * 60) / 37 }, (_, i) => new Date(start + i * 37 * 60_000 + (i % 60) * 1000));
}

describe("the system time zone without Intl", () => {
  // Node resets both Date's and Intl's idea of the local zone when TZ is assigned.
  for (const zone of ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]) {
    it(`local days and times in ${zone} match the named zone's, also across DST`, () => {
      process.env.TZ = zone;
      for (const instant of _instants()) expect(localDateParts(instant, SYSTEM_TIME_ZONE)).toEqual(localDateParts(instant, zone));
      expect(zonedInstant("2026-03-29", "02:30:00", SYSTEM_TIME_ZONE)).toEqual(zonedInstant("2026-03-29", "02:30:00", zone));
    });
  }

  it("an unset timezone is the system zone's name, resolved when read; a configured one is kept as written", () => {
    const home = makeTempHome();
    const unset = loadConfig(path.join(home, "absent.yaml"), {});
    expect(unset.zone).toBe(SYSTEM_TIME_ZONE);
    expect(unset.timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(timeZoneName("Europe/Berlin")).toBe("Europe/Berlin");
  });
});
