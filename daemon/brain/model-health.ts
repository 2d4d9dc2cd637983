import type { DaemonState } from "../state/daemon-state.js";

const KEY = "modelHealth";
const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 30 * 60_000;

interface HealthState {
  failures: number;
  backoffUntil: string | null;
}

export interface ModelHealth {
  backoffUntil(): Date | undefined;
  /** Records a failed turn; `firstOfStreak` tells the caller to journal it (once per streak). */
  recordFailure(now: Date): { failures: number; backoffMs: number; firstOfStreak: boolean };
  /** Records a good call; returns how many failures it ends (0 when there was no streak). */
  recordSuccess(): number;
}

/**
 * Backoff on top of the SDK's own retries: after a failed turn, no wake for 30 s, doubling per
 * consecutive failure up to 30 min. Kept in the database so a restart does not hammer a down API.
 */
export function createModelHealth(state: DaemonState): ModelHealth {
  const read = () => state.get<HealthState>(KEY) ?? { failures: 0, backoffUntil: null };
  return {
    backoffUntil: () => {
      const until = read().backoffUntil;
      return until ? new Date(until) : undefined;
    },
    recordFailure(now) {
      const failures = read().failures + 1;
      const backoffMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1));
      state.set(KEY, { failures, backoffUntil: new Date(now.getTime() + backoffMs).toISOString() });
      return { failures, backoffMs, firstOfStreak: failures === 1 };
    },
    recordSuccess() {
      const { failures } = read();
      if (failures > 0) state.set(KEY, { failures: 0, backoffUntil: null });
      return failures;
    },
  };
}
