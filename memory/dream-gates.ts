import type { VigilDatabase } from "../daemon/store/open-database.js";
import type { DaemonState } from "../daemon/state/daemon-state.js";

export const LAST_DREAM_KEY = "lastDream";
/** "Nightly", with slack: a dream that ran late yesterday does not block tonight's. */
export const MIN_HOURS_BETWEEN_DREAMS = 20;

export interface LastDream {
  at: string;
  /** The last journal row the dream had seen. */
  seq: number;
}

export type GateResult = { open: true; newEntries: number } | { open: false; reason: string };

/** The cheap gates, cheapest first: time since the last dream, then new journal rows since it. */
export function checkDreamGates({ db, state, now, minNewEntries }: { db: VigilDatabase; state: DaemonState; now: Date; minNewEntries: number }): GateResult {
  const last = state.get<LastDream>(LAST_DREAM_KEY);
  if (last) {
    const hours = (now.getTime() - Date.parse(last.at)) / 3600_000;
    if (hours < MIN_HOURS_BETWEEN_DREAMS) return { open: false, reason: `the last dream was ${hours.toFixed(1)} h ago (at least ${MIN_HOURS_BETWEEN_DREAMS} h between dreams)` };
  }
  const newEntries = countNewEntries(db, last?.seq ?? 0);
  if (newEntries < minNewEntries) return { open: false, reason: `${newEntries} new journal row(s) since the last dream (dream.minNewEntries is ${minNewEntries})` };
  return { open: true, newEntries };
}

export function countNewEntries(db: VigilDatabase, afterSeq: number): number {
  return db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM journal WHERE seq > ?").get(afterSeq)!.n;
}
