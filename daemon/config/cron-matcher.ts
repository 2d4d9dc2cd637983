import type { ParsedFields } from "node-cron";
import { loadCron } from "./load-cron.js";
import { SYSTEM_TIME_ZONE } from "./system-time-zone.js";

export interface CronMatcher {
  /** Whether the instant (to the second) is one of the expression's times. */
  match(date: Date): boolean;
}

/**
 * The times of a cron expression in a zone (SYSTEM_TIME_ZONE, or a configured name). node-cron
 * parses and validates it either way. In a named zone node-cron matches too; in the system zone
 * its fields are matched against Date's local getters instead, because node-cron formats every
 * instant with Intl even for the local zone, and a process's first Intl call sets up ICU (~8 MiB
 * of RSS that an idle daemon would otherwise keep). The rules are node-cron 4.6's (its
 * TimeMatcher.match): every field must match, the day of month and the day of week both (not
 * either), with L, L-n, nW and LW for the day and nL and n#k for the weekday.
 * test/cron-matcher.test.ts holds both matchers equal over a year in five zones.
 */
export function createCronMatcher(cron: string, zone: string): CronMatcher {
  if (zone !== SYSTEM_TIME_ZONE) return loadCron().createTask(cron, () => {}, { timezone: zone });
  const fields = loadCron().parse(cron);
  return { match: (date) => _matchesLocally(fields, date) };
}

function _matchesLocally(fields: ParsedFields, date: Date): boolean {
  const [year, month, day] = [date.getFullYear(), date.getMonth() + 1, date.getDate()];
  return (
    fields.second.includes(date.getSeconds()) &&
    fields.minute.includes(date.getMinutes()) &&
    fields.hour.includes(date.getHours()) &&
    fields.month.includes(month) &&
    fields.dayOfMonth.some((token) => _matchesDayOfMonth(token, year, month, day)) &&
    fields.dayOfWeek.some((token) => _matchesDayOfWeek(token, year, month, day, date.getDay()))
  );
}

/** A day-of-month token as node-cron parses it: a number, L (last day), L-n, nW or LW (nearest weekday). */
function _matchesDayOfMonth(token: number | string, year: number, month: number, day: number): boolean {
  if (typeof token === "number") return token === day;
  const last = _lastDayOfMonth(year, month);
  if (token === "L") return day === last;
  const weekday = /^(\d{1,2}|L)W$/.exec(token);
  if (weekday) return _nearestWeekday(year, month, weekday[1] === "L" ? last : Number(weekday[1]), last) === day;
  const offset = /^L-(\d{1,2})$/.exec(token);
  return offset !== null && last - Number(offset[1]) === day;
}

/** A weekday token: a number (0 is Sunday), nL (the month's last such weekday) or n#k (its k-th). */
function _matchesDayOfWeek(token: number | string, year: number, month: number, day: number, weekday: number): boolean {
  if (typeof token === "number") return token === weekday;
  const nth = /^([0-7])#([1-5])$/.exec(token);
  if (nth) return Number(nth[1]) % 7 === weekday && Math.floor((day - 1) / 7) + 1 === Number(nth[2]);
  const last = /^([0-7])L$/.exec(token);
  return last !== null && Number(last[1]) % 7 === weekday && day + 7 > _lastDayOfMonth(year, month);
}

function _lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** node-cron's nearest weekday to a day: Saturday moves to Friday and Sunday to Monday, within the month. */
function _nearestWeekday(year: number, month: number, target: number, last: number): number {
  if (target < 1 || target > last) return -1;
  const weekday = new Date(Date.UTC(year, month - 1, target)).getUTCDay();
  if (weekday === 6) return target === 1 ? target + 2 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}
