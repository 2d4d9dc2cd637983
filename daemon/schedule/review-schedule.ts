import { createTask } from "node-cron";
import type { DaemonState } from "../state/daemon-state.js";
import { latestCronSlot } from "./wakeups.js";

const KEY = "reviewCheckedThrough";
const MINUTE = 60_000;
/** A review missed while the laptop slept is still sent on waking, if it is less than 12 h late. */
const LOOKBACK_MS = 12 * 60 * MINUTE;

/**
 * When the morning digest is due (`review.cron`). The slot is claimed in the database before the
 * caller sends anything, so a restart or a second tick never sends it twice.
 */
export function createReviewSchedule({ cron, timeZone, state }: { cron: string; timeZone: string; state: DaemonState }) {
  const task = createTask(cron, () => {}, { timezone: timeZone });
  return {
    /** The due slot, already claimed, or undefined. */
    claimDue(now: Date): Date | undefined {
      const last = Math.floor(now.getTime() / MINUTE) * MINUTE;
      const checked = state.get<string>(KEY);
      const first = checked ? Math.max(Date.parse(checked) + MINUTE, last - LOOKBACK_MS) : last;
      if (first > last) return undefined;
      state.set(KEY, new Date(last).toISOString());
      return latestCronSlot(task, first, last);
    },
  };
}
