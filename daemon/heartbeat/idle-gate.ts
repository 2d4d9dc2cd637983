import { statSync } from "node:fs";
import path from "node:path";
import { lastEntry } from "../../logs/query-entries.js";
import { localDay } from "../../logs/local-day.js";
import type { DaemonState } from "../state/daemon-state.js";
import type { VigilDatabase } from "../store/open-database.js";
import { INDEX_FILE } from "../../memory/memory-snapshot.js";

/** Consecutive quiet idle wakes, and what the last one looked at. */
export interface IdleStreak {
  quiet: number;
  /** The idle wake's inputs when it ended quiet (see `idleFingerprint`). */
  fingerprint: string;
  /** When the model last looked (a skipped wake does not count). */
  lookedAt: string;
}

export const IDLE_STREAK_KEY = "idleStreak";
/** Back-off doublings: 30 min, 1 h, 2 h, then 4 h at most at the default `idleWakeMinutes`. */
const MAX_DOUBLINGS = 3;

/** How long after the last wake the next idle wake is due: doubled per quiet idle wake, capped. */
export function idleIntervalMinutes(baseMinutes: number, streak: IdleStreak | undefined): number {
  return baseMinutes * 2 ** Math.min(streak?.quiet ?? 0, MAX_DOUBLINGS);
}

/**
 * What an idle wake's prompt is made of besides the clock: the journal (every event noticed,
 * action taken, dream and error lands there), the memory index, and the day. Equal fingerprints
 * mean the model would be shown the same world it just called quiet.
 */
export function idleFingerprint(db: VigilDatabase, memoryDir: string, now: Date, timeZone: string): string {
  const index = statSync(path.join(memoryDir, INDEX_FILE), { throwIfNoEntry: false });
  return [lastEntry(db)?.seq ?? 0, index ? `${index.size}:${index.mtimeMs}` : "-", localDay(now, timeZone)].join("|");
}

/**
 * An idle wake whose inputs are unchanged since the last quiet one is skipped, but never for
 * longer than the back-off cap: time passing is itself news (a reminder half a day old, a PR
 * that has waited too long), so the model still looks at least that often.
 */
export function shouldSkipIdleWake(streak: IdleStreak | undefined, fingerprint: string, now: Date, baseMinutes: number): boolean {
  if (!streak || streak.fingerprint !== fingerprint) return false;
  return now.getTime() - Date.parse(streak.lookedAt) < baseMinutes * 2 ** MAX_DOUBLINGS * 60_000;
}

/** After an idle-only turn: quiet lengthens the streak; anything else (or any other turn) ends it. */
export function recordIdleOutcome(state: DaemonState, quiet: boolean, fingerprint: string, now: Date): void {
  if (!quiet) {
    state.delete(IDLE_STREAK_KEY);
    return;
  }
  const previous = state.get<IdleStreak>(IDLE_STREAK_KEY);
  state.set(IDLE_STREAK_KEY, { quiet: (previous?.quiet ?? 0) + 1, fingerprint, lookedAt: now.toISOString() } satisfies IdleStreak);
}

/** A skipped idle wake counts as a quiet one for the back-off; the model did not look. */
export function recordSkippedIdleWake(state: DaemonState, streak: IdleStreak): void {
  state.set(IDLE_STREAK_KEY, { ...streak, quiet: streak.quiet + 1 } satisfies IdleStreak);
}
