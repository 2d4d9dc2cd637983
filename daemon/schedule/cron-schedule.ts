import { createCronMatcher, type CronMatcher } from "../config/cron-matcher.js";
import type { DaemonState } from "../state/daemon-state.js";
import { latestCronSlot } from "../events/wakeups.js";

const MINUTE = 60_000;
/** A slot missed while the laptop slept still runs on waking, if it is less than 12 h late. */
const LOOKBACK_MS = 12 * 60 * MINUTE;

export interface CronScheduleOptions {
  cron: string;
  /** A zone name, or SYSTEM_TIME_ZONE (`ctx.loaded.zone`). */
  timeZone: string;
  state: DaemonState;
  /** The daemon_state key remembering the minute checked through. */
  key: string;
}

/**
 * When a daemon job is due by cron (the morning review, the dream). The slot is claimed in the
 * database before the caller does anything, so a restart or a second tick never runs it twice.
 */
export function createCronSchedule({ cron, timeZone, state, key }: CronScheduleOptions) {
  // Made at the first claim, after the daemon is ready: loading node-cron can wait.
  let task: CronMatcher | undefined;
  const matcher = () => (task ??= createCronMatcher(cron, timeZone));
  return {
    /** The due slot, already claimed, or undefined. */
    claimDue(now: Date): Date | undefined {
      const last = Math.floor(now.getTime() / MINUTE) * MINUTE;
      const checked = state.get<string>(key);
      const first = checked ? Math.max(Date.parse(checked) + MINUTE, last - LOOKBACK_MS) : last;
      if (first > last) return undefined;
      state.set(key, new Date(last).toISOString());
      return latestCronSlot(matcher(), first, last);
    },
  };
}
