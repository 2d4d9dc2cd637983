import type { Journal } from "../../logs/journal.js";
import { localDateParts, localDay } from "../../logs/local-day.js";
import { runRulesTurn } from "../brain/run-rules-turn.js";
import { runTurn } from "../brain/run-turn.js";
import { isAuthFailure } from "../brain/model-health.js";
import { liftAuthBlock, reportAuthFailure } from "./report-auth-failure.js";
import type { TurnOutcome } from "../brain/turn-deps.js";
import { totalTokens } from "../brain/usage-ledger.js";
import { noticeEventIn, noticeEventOn } from "../events/notice-event.js";
import type { NewEvent } from "../events/event-queue.js";
import { decideWake } from "../heartbeat/wake-gate.js";
import { IDLE_STREAK_KEY, idleFingerprint, idleIntervalMinutes, recordIdleOutcome, recordSkippedIdleWake, shouldSkipIdleWake, type IdleStreak } from "../heartbeat/idle-gate.js";
import { detectClockJump, idleEventIfDue, resumedEvent } from "../sources/clock-source.js";
import { SLEEP_UNTIL_KEY } from "../tools/sleep-tool.js";
import type { Runtime } from "./assemble-runtime.js";
import { LAST_TICK_KEY } from "../state/daemon-state.js";

const LAST_WAKE_KEY = "lastWakeAt";
const BUDGET_PAUSED_KEY = "budgetPausedDay";
/** `vigil status` reads the last tick from the database; writing it every tick would be waste. */
const PERSIST_TICK_EVERY_MS = 60_000;

export interface Supervisor {
  /** One heartbeat: cheap checks, never a model call itself; may start a turn in the background. */
  tick(): Promise<void>;
  /** The turn in flight, if any (resolves when it ends). */
  idle(): Promise<void>;
  /** Aborts the turn in flight: its model call fails and its events go back to the queue. */
  abort(): void;
  /** The wall time of the last tick, for /healthz. */
  lastTickAt(): Date | undefined;
  /** Runs one turn now if anything is pending (`vigil start --once`). */
  runOnce(): Promise<TurnOutcome | undefined>;
}

/** Something to check once per tick besides wakes (the morning review); must be cheap when not due. */
export type TickJob = (now: Date) => Promise<void>;

export function createSupervisor(runtime: Runtime, provider: "anthropic" | "rules", jobs: readonly TickJob[] = []): Supervisor {
  const { turn: deps, state, health } = runtime;
  // Local days, quiet hours and cron slots use runtime.zone (no Intl without a configured zone);
  // deps.timeZone, the zone's name, is for the turn's prompt.
  const { config, journal } = deps;
  let inFlight: Promise<void> | undefined;
  /** A crashed turn's events wait, claimed, until a tick can hand them back (after a full disk, say). */
  let handBackPending = false;
  const stopping = new AbortController();
  let lastTick: Date | undefined;
  let lastPersistedTick = 0;
  const notice = (event: NewEvent) => noticeEventOn(deps.store, event);

  const runOneTurn = async (reason: string, idleOnly = false): Promise<TurnOutcome> => {
    state.set(LAST_WAKE_KEY, deps.now().toISOString());
    const outcome = provider === "rules" ? await runRulesTurn(deps, reason) : await runTurn(deps, reason, stopping.signal);
    if (outcome.outcome !== "failed") {
      // The idle back-off lasts while idle wakes stay quiet; any other turn means something happened.
      if (idleOnly) recordIdleOutcome(state, outcome.outcome === "quiet", idleFingerprint(deps.db, deps.memoryDir, deps.now(), runtime.zone), deps.now());
      // Read first: a delete is a write, a commit and an fsync, on the path of every turn.
      else if (state.get(IDLE_STREAK_KEY)) state.delete(IDLE_STREAK_KEY);
    }
    if (stopping.signal.aborted && outcome.outcome === "failed") {
      // Not the model's fault: no backoff, and the events wait for the next start.
      journal.append({ kind: "system", summary: `turn handed back at stop: ${outcome.events} event(s) pending again`, data: { event: "turn-handed-back", turnId: outcome.turnId } });
      return outcome;
    }
    _reportHealth(outcome, runtime, journal);
    return outcome;
  };

  const startTurn = (reason: string, idleOnly: boolean) => {
    inFlight = runOneTurn(reason, idleOnly)
      .then(() => undefined)
      .catch((error: Error) => {
        // Not a model failure (a bug, a full disk): keep the daemon alive and leave a trace if we can.
        deps.logger.error({ err: error }, "turn crashed");
        handBackPending = true;
        try {
          journal.append({ kind: "error", summary: `turn crashed: ${error.message}`, data: { stack: error.stack ?? null } });
        } catch (journalError) {
          deps.logger.error({ err: journalError }, "could not journal the crash");
        }
      })
      .finally(() => {
        inFlight = undefined;
      });
  };

  const budgetSpent = (now: Date): boolean => {
    const day = localDay(now, runtime.zone);
    const spent = totalTokens(deps.usage.forDay(day));
    if (spent < config.model.dailyTokenBudget) return false;
    if (state.get<string>(BUDGET_PAUSED_KEY) !== day) {
      state.set(BUDGET_PAUSED_KEY, day);
      const summary = `daily token budget spent (${spent} of ${config.model.dailyTokenBudget}); no model calls until tomorrow`;
      journal.append({ kind: "system", summary, data: { event: "budget-paused", day, spent, budget: config.model.dailyTokenBudget } });
      void runtime.notifier.send({ title: "Vigil paused", body: summary, priority: "high" }).catch(() => undefined);
    }
    return true;
  };

  const tick = async () => {
    const now = deps.now();
    if (handBackPending && !inFlight) {
      deps.events.releaseAbandoned();
      handBackPending = false;
    }
    const gap = detectClockJump(lastTick, now, config.heartbeat.tickSeconds);
    lastTick = now;
    if (gap !== undefined) {
      journal.append({ kind: "system", summary: `resumed after ${Math.round(gap / 60_000)} minutes`, data: { event: "resumed", gapMs: gap } });
      await notice(resumedEvent(gap, now));
    }
    if (now.getTime() - lastPersistedTick >= PERSIST_TICK_EVERY_MS) {
      state.set(LAST_TICK_KEY, now.toISOString());
      lastPersistedTick = now.getTime();
    }
    await _fireDueWakeups(runtime, now);
    for (const job of jobs) await job(now).catch((error: Error) => deps.logger.error({ err: error }, "tick job failed"));
    await runtime.notifier.flushHeld(now).catch((error: Error) => deps.logger.error({ err: error }, "sending the quiet-hours digest failed"));
    const quiet = runtime.isQuiet(now);
    const pending = deps.events.pendingStats();
    const sleepUntil = state.get<string>(SLEEP_UNTIL_KEY);
    const streak = state.get<IdleStreak>(IDLE_STREAK_KEY);
    let idle = idleEventIfDue({
      now,
      lastWakeAt: new Date(state.get<string>(LAST_WAKE_KEY) ?? now.toISOString()),
      idleWakeMinutes: idleIntervalMinutes(config.heartbeat.idleWakeMinutes, streak),
      sleepUntil: sleepUntil ? new Date(sleepUntil) : undefined,
      pending: pending.count,
      quiet,
    });
    if (idle && shouldSkipIdleWake(streak, idleFingerprint(deps.db, deps.memoryDir, now, runtime.zone), now, config.heartbeat.idleWakeMinutes)) {
      // Nothing changed since the last quiet look: no model call, and the next one backs off further.
      state.set(LAST_WAKE_KEY, now.toISOString());
      recordSkippedIdleWake(state, streak!);
      idle = undefined;
    }
    if (idle) await notice(idle);
    if (!state.get(LAST_WAKE_KEY)) state.set(LAST_WAKE_KEY, now.toISOString());
    const decision = decideWake({
      now,
      pending: idle ? deps.events.pendingStats() : pending,
      settleMs: idle ? 0 : config.heartbeat.settleMs,
      budgetSpent: (idle || pending.count > 0) && !inFlight ? budgetSpent(now) : false,
      backoffUntil: health.backoffUntil(),
      authBlocked: provider === "anthropic" && health.authBlock() !== undefined,
      turnInFlight: inFlight !== undefined,
    });
    if (decision.wake) startTurn(decision.reason, idle !== undefined && pending.count === 0);
  };

  return {
    tick,
    idle: async () => {
      while (inFlight) await inFlight;
    },
    abort: () => stopping.abort(new Error("the daemon is stopping")),
    lastTickAt: () => lastTick,
    async runOnce() {
      await _fireDueWakeups(runtime, deps.now());
      if (deps.events.pendingStats().count === 0 || (provider === "anthropic" && health.authBlock()) || budgetSpent(deps.now())) return undefined;
      return runOneTurn("vigil start --once");
    },
  };
}

/**
 * Each wake-up due now becomes an event and is marked fired, all in one transaction; a tick with
 * nothing due writes nothing (and on SQLite syncs nothing). On a shared store two nodes may find
 * the same one due: its slot's dedupe key makes it one event.
 */
async function _fireDueWakeups({ turn: deps, zone }: Runtime, now: Date): Promise<void> {
  await deps.store.transaction(async (tx) => {
    for (const due of await tx.wakeups.collectDue(now, zone)) {
      const { wakeup } = due;
      await noticeEventIn(tx, {
        source: "schedule",
        type: wakeup.origin === "config" ? "schedule" : "wakeup",
        // Keyed by the slot's local wall time: the repeated hour when clocks fall back is one slot.
        dedupeKey: `wakeup:${wakeup.id}:${_localSlot(due.slot, zone)}`,
        trust: "trusted",
        // The user's own schedules are appointments: they pass quiet hours. The agent's do not.
        urgent: wakeup.origin === "config",
        summary: wakeup.note,
        payload: { wakeupId: wakeup.id, slot: due.slot, cron: wakeup.cron },
      });
      await tx.wakeups.markFired(due, now);
    }
  });
}

function _localSlot(iso: string, timeZone: string): string {
  const { day, time } = localDateParts(new Date(iso), timeZone);
  return `${day}T${time.slice(0, 5)}`;
}

/** Journals the first failure of a streak and the recovery after one; logs the rest. */
function _reportHealth(outcome: TurnOutcome, runtime: Runtime, journal: Journal): void {
  const { health, turn: deps } = runtime;
  if (outcome.outcome !== "failed") {
    const ended = health.recordSuccess();
    // A call went through: a block left by another key (a restart with a new one) is over.
    if (deps.client) liftAuthBlock(runtime, "a model call went through");
    if (ended > 0) journal.append({ kind: "system", summary: `model reachable again after ${ended} failed turn(s)`, data: { event: "model-recovered", failures: ended } });
    return;
  }
  if (isAuthFailure(outcome.error)) {
    reportAuthFailure(outcome.error, runtime, { turnId: outcome.turnId });
    return;
  }
  const { failures, backoffMs, firstOfStreak } = health.recordFailure(deps.now());
  deps.logger.warn({ err: outcome.error, failures, backoffMs }, "model call failed; backing off");
  if (firstOfStreak) {
    journal.append({
      kind: "error",
      summary: `model call failed: ${outcome.error.message}; backing off (events kept for later)`,
      data: { turnId: outcome.turnId, error: outcome.error.name, status: (outcome.error as { status?: number }).status ?? null, backoffMs },
    });
  }
}
