import { createCronMatcher, type CronMatcher } from "../config/cron-matcher.js";
import { loadCron } from "../config/load-cron.js";
import type { VigilDatabase } from "../store/open-database.js";

export type MissedPolicy = "run-once" | "skip";

export interface Wakeup {
  id: number;
  /** After downtime or sleep: fire the latest missed slot once, or skip to the next one. */
  missed: MissedPolicy;
  kind: "once" | "cron";
  at: string | null;
  cron: string | null;
  note: string;
  origin: "agent" | "config";
  checkedThrough: string | null;
}

/** A wake-up that came due: `slot` is the instant it was due, part of its dedupe key. */
export interface DueWakeup {
  wakeup: Wakeup;
  slot: string;
}

const MINUTE = 60_000;
/** Slots missed longer ago than this (downtime, sleep) are not replayed; the latest one still is. */
const LOOKBACK_MINUTES = 24 * 60;

/** The next matching minute within a week of `now`. */
function _nextCronRun(task: CronMatcher, now: Date): string | undefined {
  const start = Math.floor(now.getTime() / MINUTE) * MINUTE + MINUTE;
  for (let minute = start; minute < start + 7 * 24 * 60 * MINUTE; minute += MINUTE) {
    if (task.match(new Date(minute))) return new Date(minute).toISOString();
  }
  return undefined;
}

/** The latest minute in [fromMs, toMs] that the cron task matches, scanning back from `toMs`. */
export function latestCronSlot(task: CronMatcher, fromMs: number, toMs: number): Date | undefined {
  for (let minute = toMs; minute >= fromMs; minute -= MINUTE) {
    if (task.match(new Date(minute))) return new Date(minute);
  }
  return undefined;
}

export function isValidCron(expression: string): boolean {
  return loadCron().validate(expression);
}

export interface WakeupStore {
  addOnce(at: Date, note: string, origin: Wakeup["origin"], now: Date): number;
  addCron(cron: string, note: string, origin: Wakeup["origin"], now: Date, missed?: MissedPolicy): number;
  /**
   * Wake-ups due at `now`. A cron wake-up yields only its latest slot since it was last checked,
   * so a laptop that slept through six hourly slots wakes once, not six times. `zone` is a
   * configured name or SYSTEM_TIME_ZONE (`ctx.loaded.zone`).
   */
  collectDue(now: Date, zone: string): DueWakeup[];
  /** Records that a due wake-up was turned into an event; call in the same transaction. */
  markFired(due: DueWakeup, now: Date): void;
  /** Replaces the config-origin cron wake-ups with `schedules` (kept when unchanged). */
  syncConfigSchedules(schedules: ReadonlyArray<{ cron: string; prompt: string; missed?: MissedPolicy }>, now: Date): void;
  nextDue(): string | undefined;
  /** The next few runs of every active wake-up, soonest first (for `vigil status`). */
  upcoming(now: Date, zone: string, limit?: number): Array<{ at: string; note: string; origin: Wakeup["origin"] }>;
}

export function createWakeupStore(db: VigilDatabase): WakeupStore {
  const insert = db.prepare("INSERT INTO wakeups (kind, at, cron, note, origin, created_at, checked_through, missed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const active = db.prepare<[], Wakeup>("SELECT id, kind, at, cron, note, origin, missed, checked_through AS checkedThrough FROM wakeups WHERE state = 'active'");
  const finishOnce = db.prepare("UPDATE wakeups SET state = 'done' WHERE id = ?");
  const checked = db.prepare("UPDATE wakeups SET checked_through = ? WHERE id = ?");
  const remove = db.prepare("UPDATE wakeups SET state = 'removed' WHERE id = ?");
  const nextOnce = db.prepare<[], { at: string }>("SELECT min(at) AS at FROM wakeups WHERE state = 'active' AND kind = 'once'");
  const matchers = new Map<string, CronMatcher>();
  // `zone` is a configured name or SYSTEM_TIME_ZONE (local times without Intl).
  const matcher = (cron: string, zone: string) => {
    const key = `${zone} ${cron}`;
    if (!matchers.has(key)) matchers.set(key, createCronMatcher(cron, zone));
    return matchers.get(key)!;
  };
  const minuteOf = (date: Date) => Math.floor(date.getTime() / MINUTE) * MINUTE;

  return {
    addOnce: (at, note, origin, now) => Number(insert.run("once", at.toISOString(), null, note, origin, now.toISOString(), null, "run-once").lastInsertRowid),
    addCron: (cron, note, origin, now, missed = "run-once") =>
      Number(insert.run("cron", null, cron, note, origin, now.toISOString(), new Date(minuteOf(now)).toISOString(), missed).lastInsertRowid),
    collectDue(now, zone) {
      const due: DueWakeup[] = [];
      for (const wakeup of active.all()) {
        if (wakeup.kind === "once") {
          if (Date.parse(wakeup.at!) <= now.getTime()) due.push({ wakeup, slot: wakeup.at! });
          continue;
        }
        const last = minuteOf(now);
        const first = Math.max(wakeup.checkedThrough ? Date.parse(wakeup.checkedThrough) + MINUTE : last, last - LOOKBACK_MINUTES * MINUTE);
        // "skip": only the current minute may fire; a slot missed while away is passed over.
        const slot = latestCronSlot(matcher(wakeup.cron!, zone), wakeup.missed === "skip" ? last : first, last);
        if (slot) due.push({ wakeup, slot: slot.toISOString() });
        else if (first <= last) checked.run(new Date(last).toISOString(), wakeup.id);
      }
      return due;
    },
    markFired(due, now) {
      if (due.wakeup.kind === "once") finishOnce.run(due.wakeup.id);
      else checked.run(new Date(minuteOf(now)).toISOString(), due.wakeup.id);
    },
    syncConfigSchedules(schedules, now) {
      const identity = (cron: string | null, note: string, missed: MissedPolicy = "run-once") => `${cron}\n${note}\n${missed}`;
      const existing = active.all().filter((wakeup) => wakeup.origin === "config");
      const wanted = new Set(schedules.map((schedule) => identity(schedule.cron, schedule.prompt, schedule.missed)));
      for (const wakeup of existing) if (!wanted.has(identity(wakeup.cron, wakeup.note, wakeup.missed))) remove.run(wakeup.id);
      const kept = new Set(existing.map((wakeup) => identity(wakeup.cron, wakeup.note, wakeup.missed)));
      for (const schedule of schedules) {
        if (!kept.has(identity(schedule.cron, schedule.prompt, schedule.missed))) this.addCron(schedule.cron, schedule.prompt, "config", now, schedule.missed);
      }
    },
    nextDue: () => nextOnce.get()?.at ?? undefined,
    upcoming(now, zone, limit = 5) {
      const runs = active.all().flatMap((wakeup) => {
        const at = wakeup.kind === "once" ? wakeup.at : _nextCronRun(matcher(wakeup.cron!, zone), now);
        return at ? [{ at, note: wakeup.note, origin: wakeup.origin }] : [];
      });
      // ISO instants in one format sort as plain strings; localeCompare would start ICU's collator (~7 ms).
      return runs.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).slice(0, limit);
    },
  };
}
