import type { NewWakeupRow, WakeupRow } from "../store/store-records.js";
import { cronRow, firedChange, judgeWakeup, onceRow, type DueWakeup, type MissedPolicy, type Wakeup } from "./wakeups.js";

/** The wake-ups of a store transaction (daemon/context/store-tx.ts), on either engine. */
export interface WakeupsPort {
  addOnce(at: Date, note: string, origin: Wakeup["origin"], now: Date): Promise<number>;
  addCron(cron: string, note: string, origin: Wakeup["origin"], now: Date, missed?: MissedPolicy): Promise<number>;
  /**
   * Wake-ups due at `now` (judgeWakeup: a cron one yields only its latest slot since it was last
   * checked). `zone` is a configured name or SYSTEM_TIME_ZONE. On a shared store every node may
   * see the same one due; the event's dedupe key makes it one event.
   */
  collectDue(now: Date, zone: string): Promise<DueWakeup[]>;
  /** Records that a due wake-up was turned into an event; call in the same transaction. */
  markFired(due: DueWakeup, now: Date): Promise<void>;
}

/** The rows WakeupsPort needs from an engine (WakeupStore.rows on SQLite, create-postgres-wakeup-rows.ts). */
export interface WakeupRowsPort {
  active(): Promise<WakeupRow[]>;
  insert(row: NewWakeupRow): Promise<number>;
  finish(id: number): Promise<void>;
  checkThrough(id: number, at: string): Promise<void>;
}

/** WakeupsPort over an engine's rows: one judgement for both engines. */
export function wakeupsOnRows(rows: WakeupRowsPort): WakeupsPort {
  return {
    addOnce: (at, note, origin, now) => rows.insert(onceRow(at, note, origin, now)),
    addCron: (cron, note, origin, now, missed = "run-once") => rows.insert(cronRow(cron, note, origin, now, missed)),
    async collectDue(now, zone) {
      const due: DueWakeup[] = [];
      for (const wakeup of await rows.active()) {
        const judged = judgeWakeup(wakeup, now, zone);
        if (judged && "due" in judged) due.push(judged.due);
        else if (judged) await rows.checkThrough(wakeup.id, judged.checkedThrough);
      }
      return due;
    },
    async markFired(due, now) {
      const fired = firedChange(due, now);
      if ("done" in fired) await rows.finish(due.wakeup.id);
      else await rows.checkThrough(due.wakeup.id, fired.checkedThrough);
    },
  };
}
