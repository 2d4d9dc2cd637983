import { describe, expect, it } from "vitest";
import { createSupervisor } from "../../daemon/supervisor/supervisor.js";
import { recoverInterrupted } from "../../daemon/supervisor/recover-interrupted.js";
import { startHarness, type Harness } from "../support/daemon-harness.js";

const MINUTE = 60_000;
const config = (schedules: string, timezone = "UTC") =>
  `timezone: ${timezone}\nheartbeat: { tickSeconds: 5, idleWakeMinutes: 0, settleMs: 1500, quietHours: null }\nschedules: ${schedules}\n`;

async function withSchedules(schedules: string, start: string, timezone?: string): Promise<Harness> {
  const h = await startHarness({ config: config(schedules, timezone), start });
  h.runtime.wakeups.syncConfigSchedules(h.ctx.loaded.config.schedules, h.clock.now());
  return h;
}

const fired = (h: Harness) => h.ctx.db.prepare("SELECT received_at FROM events WHERE source = 'schedule' ORDER BY id").pluck().all() as string[];

describe("schedules run exactly once per slot", () => {
  it("a slot fires once, and a restart in the same minute does not fire it again", async () => {
    const h = await withSchedules('[ { cron: "0 * * * *", prompt: "hourly look" } ]', "2026-11-23T10:58:30Z");
    await h.ticks(20, 10_000); // through 11:00
    expect(fired(h)).toEqual(["2026-11-23T11:00:00.000Z"]);
    expect(h.server.requests).toHaveLength(1);
    expect(JSON.stringify(h.server.requests[0]!.body.messages)).toContain("hourly look");

    // The daemon restarts within the same minute: a new supervisor over the same database.
    h.clock.set("2026-11-23T11:00:40Z");
    recoverInterrupted(h.runtime);
    h.runtime.wakeups.syncConfigSchedules(h.ctx.loaded.config.schedules, h.clock.now());
    const restarted = createSupervisor(h.runtime, "anthropic");
    for (let i = 0; i < 4; i++) {
      h.clock.advance(5000);
      await restarted.tick();
      await restarted.idle();
    }
    expect(fired(h)).toHaveLength(1);
  });

  it("a 6-hour sleep over 6 hourly slots fires once, not six times", async () => {
    const h = await withSchedules('[ { cron: "0 * * * *", prompt: "hourly" } ]', "2026-11-23T11:30:00Z");
    await h.ticks(1);
    h.clock.set("2026-11-23T17:45:00Z");
    await h.ticks(20);
    expect(fired(h)).toHaveLength(1);
    expect(h.server.requests).toHaveLength(1); // the resume and the missed slot share one wake
    await h.ticks(20, MINUTE); // and the next slot, 18:00, fires normally
    expect(fired(h)).toHaveLength(2);
  });

  it("missed: skip passes over a slot missed while asleep", async () => {
    const h = await withSchedules('[ { cron: "0 * * * *", prompt: "hourly", missed: skip } ]', "2026-11-23T11:30:00Z");
    await h.ticks(1);
    h.clock.set("2026-11-23T17:45:00Z");
    await h.ticks(20);
    expect(fired(h)).toHaveLength(0);
    await h.ticks(20, MINUTE);
    expect(fired(h)).toHaveLength(1);
  });

  it("on DST days, times follow the configured zone; the repeated hour fires once", async () => {
    // Europe/Berlin falls back on 2026-10-25: 02:30 local happens at 00:30Z and again at 01:30Z.
    const h = await withSchedules('[ { cron: "30 2 * * *", prompt: "nightly" }, { cron: "0 8 * * *", prompt: "morning" } ]', "2026-10-24T22:00:00Z", "Europe/Berlin");
    await h.ticks(10 * 60, MINUTE); // until 08:00Z
    const times = h.ctx.db.prepare("SELECT summary, received_at FROM events WHERE source = 'schedule' ORDER BY id").all();
    expect(times).toEqual([
      { summary: "nightly", received_at: "2026-10-25T00:30:00.000Z" },
      { summary: "morning", received_at: "2026-10-25T07:00:00.000Z" }, // 08:00 CET
    ]);
  });

  it("spring forward: 08:00 local is 06:00Z the day clocks go forward", async () => {
    const h = await withSchedules('[ { cron: "0 8 * * *", prompt: "morning" } ]', "2026-03-29T05:00:00Z", "Europe/Berlin");
    await h.ticks(2 * 60, MINUTE);
    expect(fired(h)).toEqual(["2026-03-29T06:00:00.000Z"]);
  });
});
