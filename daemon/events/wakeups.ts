import { createCronMatcher, type CronMatcher } from "../config/cron-matcher.js";
import { loadCron } from "../config/load-cron.js";
import type { VigilDatabase } from "../store/open-database.js";
import type { NewWakeupRow, WakeupRow } from "../store/store-records.js";

export type MissedPolicy = WakeupRow["missed"];

export type Wakeup = WakeupRow;

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
   * The rows as they are stored, for the store port's wake-ups (daemon/events/wakeups-on-rows.ts
   * decides there what is due and what firing writes, on either engine).
   */
  rows: { active(): Wakeup[]; insert(row: NewWakeupRow): number; finish(id: number): void; checkThrough(id: number, at: string): void };
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
  const _insert = (row: NewWakeupRow) => Number(insert.run(row.kind, row.at, row.cron, row.note, row.origin, row.createdAt, row.checkedThrough, row.missed).lastInsertRowid);

  return {
    addOnce: (at, note, origin, now) => _insert(onceRow(at, note, origin, now)),
    addCron: (cron, note, origin, now, missed = "run-once") => _insert(cronRow(cron, note, origin, now, missed)),
    rows: {
      active: () => active.all(),
      insert: _insert,
      finish: (id) => void finishOnce.run(id),
      checkThrough: (id, at) => void checked.run(at, id),
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
        const at = wakeup.kind === "once" ? wakeup.at : _nextCronRun(_matcher(wakeup.cron!, zone), now);
        return at ? [{ at, note: wakeup.note, origin: wakeup.origin }] : [];
      });
      // ISO instants in one format sort as plain strings; localeCompare would start ICU's collator (~7 ms).
      return runs.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).slice(0, limit);
    },
  };
}

/**
 * What one active wake-up is at `now`: due at a slot; or, for a cron one with no slot since it was
 * last checked, checked through this minute (so the next look starts there); or nothing to record.
 * A cron wake-up yields only its latest slot since it was last checked (a laptop that slept
 * through six hourly slots wakes once); "skip" lets only the current minute fire.
 */
export function judgeWakeup(wakeup: Wakeup, now: Date, zone: string): { due: DueWakeup } | { checkedThrough: string } | undefined {
  if (wakeup.kind === "once") return Date.parse(wakeup.at!) <= now.getTime() ? { due: { wakeup, slot: wakeup.at! } } : undefined;
  const last = _minuteOf(now);
  const first = Math.max(wakeup.checkedThrough ? Date.parse(wakeup.checkedThrough) + MINUTE : last, last - LOOKBACK_MINUTES * MINUTE);
  const slot = latestCronSlot(_matcher(wakeup.cron!, zone), wakeup.missed === "skip" ? last : first, last);
  if (slot) return { due: { wakeup, slot: slot.toISOString() } };
  return first <= last ? { checkedThrough: new Date(last).toISOString() } : undefined;
}

/** What firing writes: a one-time wake-up is done, a cron one checked through this minute. */
export function firedChange(due: DueWakeup, now: Date): { done: true } | { checkedThrough: string } {
  return due.wakeup.kind === "once" ? { done: true } : { checkedThrough: new Date(_minuteOf(now)).toISOString() };
}

export function onceRow(at: Date, note: string, origin: Wakeup["origin"], now: Date): NewWakeupRow {
  return { kind: "once", at: at.toISOString(), cron: null, note, origin, createdAt: now.toISOString(), checkedThrough: null, missed: "run-once" };
}

export function cronRow(cron: string, note: string, origin: Wakeup["origin"], now: Date, missed: MissedPolicy): NewWakeupRow {
  return { kind: "cron", at: null, cron, note, origin, createdAt: now.toISOString(), checkedThrough: new Date(_minuteOf(now)).toISOString(), missed };
}

const _minuteOf = (date: Date) => Math.floor(date.getTime() / MINUTE) * MINUTE;

/** Parsed crons by zone and expression, for the process: few, and parsing one is node-cron's work. `zone` is a configured name or SYSTEM_TIME_ZONE. */
const _matchers = new Map<string, CronMatcher>();
function _matcher(cron: string, zone: string): CronMatcher {
  const key = `${zone} ${cron}`;
  if (!_matchers.has(key)) _matchers.set(key, createCronMatcher(cron, zone));
  return _matchers.get(key)!;
}
