import type { PendingStats } from "../events/event-queue.js";

export interface GateInput {
  now: Date;
  pending: PendingStats;
  settleMs: number;
  budgetSpent: boolean;
  backoffUntil: Date | undefined;
  /** The API refused the key: nothing wakes the model until it changes. */
  authBlocked?: boolean;
  turnInFlight: boolean;
}

export type GateDecision = { wake: true; reason: string } | { wake: false; reason: string };

/** A steady trickle of events must not postpone a wake forever: past this many settle windows, wake anyway. */
const MAX_SETTLE_WINDOWS = 10;

/**
 * The heartbeat's one question, answered without the model: should a turn start now? Cheap
 * checks only; every wake source (user, files, GitHub, schedules, idle, resume) arrives here as a
 * pending event. Quiet hours do not stop turns (they silence the person, not the agent): the
 * notifier holds what a night turn would say until they end.
 */
export function decideWake(input: GateInput): GateDecision {
  if (input.turnInFlight) return { wake: false, reason: "a turn is running" };
  if (input.pending.count === 0) return { wake: false, reason: "nothing pending" };
  if (input.budgetSpent) return { wake: false, reason: "daily token budget spent" };
  if (input.authBlocked) return { wake: false, reason: "the API key was refused" };
  if (input.backoffUntil && input.now < input.backoffUntil) return { wake: false, reason: "backing off after model failures" };
  const now = input.now.getTime();
  const settledSince = Date.parse(input.pending.newestAt!) + input.settleMs;
  const overdueSince = Date.parse(input.pending.oldestAt!) + input.settleMs * MAX_SETTLE_WINDOWS;
  if (now < settledSince && now < overdueSince) return { wake: false, reason: "events still settling" };
  return { wake: true, reason: `${input.pending.count} pending event(s)` };
}
