import type { NewWakeupRow, WakeupRow } from "../store/store-records.js";
import { cronRow, firedChange, judgeWakeup, onceRow, type DueWakeup, type MissedPolicy, type Wakeup } from "./wakeups.js";

/** The wake-ups of a store transaction (daemon/context/store-tx.ts), on either engine. */
export interface WakeupsPort {
  addOnce(at: Date, note: string, origin: Wakeup["origin"], now: Date): Promise<number>;
  addCron(cron: string, note: string, origin: Wakeup["origin"], now: Date, missed?: MissedPolicy): Promise<number>;
  /** As WakeupStore.collectDue; on a shared store every node may see the same one due, and the event's dedupe key makes it one event. */
  collectDue(now: Date, zone: string): Promise<DueWakeup[]>;
  markFired(due: DueWakeup, now: Date): Promise<void>;
}

/** The rows WakeupsPort needs from an engine that stores them (the PostgreSQL adapter). */
export interface WakeupRowsPort {
  active(): Promise<WakeupRow[]>;
  insert(row: NewWakeupRow): Promise<number>;
  finish(id: number): Promise<void>;
  checkThrough(id: number, at: string): Promise<void>;
}

/** WakeupsPort over an engine's rows: the same judgement as SQLite's WakeupStore. */
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
