import type { NewEvent } from "../events/event-queue.js";

/** A wall-clock gap this many ticks long (and at least a minute) means the machine slept. */
const JUMP_TICKS = 10;
const MIN_JUMP_MS = 60_000;

export function detectClockJump(previousTick: Date | undefined, now: Date, tickSeconds: number): number | undefined {
  if (!previousTick) return undefined;
  const gap = now.getTime() - previousTick.getTime();
  return gap > Math.max(MIN_JUMP_MS, tickSeconds * 1000 * JUMP_TICKS) ? gap : undefined;
}

export function resumedEvent(gapMs: number, now: Date): NewEvent {
  const minutes = Math.round(gapMs / 60_000);
  return {
    source: "clock",
    type: "resumed",
    dedupeKey: `clock:resumed:${now.toISOString()}`,
    trust: "trusted",
    summary: `the machine resumed after about ${minutes} minute(s) asleep`,
    payload: { minutes },
  };
}

export interface IdleInput {
  now: Date;
  lastWakeAt: Date;
  idleWakeMinutes: number;
  sleepUntil: Date | undefined;
  pending: number;
  quiet: boolean;
}

/** The proactive check-in: due after `idleWakeMinutes` with no wake, unless asleep, quiet or busy. */
export function idleEventIfDue(input: IdleInput): NewEvent | undefined {
  if (input.idleWakeMinutes <= 0 || input.pending > 0 || input.quiet) return undefined;
  if (input.sleepUntil && input.now < input.sleepUntil) return undefined;
  const idleMs = input.now.getTime() - input.lastWakeAt.getTime();
  if (idleMs < input.idleWakeMinutes * 60_000) return undefined;
  return {
    source: "clock",
    type: "idle",
    dedupeKey: `clock:idle:${input.lastWakeAt.toISOString()}`,
    trust: "trusted",
    summary: `nothing has woken you for ${Math.round(idleMs / 60_000)} minutes: anything worth doing?`,
  };
}
