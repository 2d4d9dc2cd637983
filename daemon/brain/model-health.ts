import { createHash } from "node:crypto";
import type { DaemonState } from "../state/daemon-state.js";

const KEY = "modelHealth";
/** Status and doctor read it as the daemon left it, whichever key the reading process has. */
export const AUTH_BLOCK_KEY = "modelAuthBlock";
const AUTH_KEY = AUTH_BLOCK_KEY;
const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 30 * 60_000;

interface HealthState {
  failures: number;
  backoffUntil: string | null;
}

/** The API refused the key (401/403): no model call until the key changes or the user reloads. */
export interface AuthBlock {
  status: number;
  message: string;
  since: string;
  /** A short hash of the key that was refused, so a new key lifts the block by itself. */
  keyId: string;
}

export interface ModelHealth {
  backoffUntil(): Date | undefined;
  /** Records a failed turn; `firstOfStreak` tells the caller to journal it (once per streak). */
  recordFailure(now: Date): { failures: number; backoffMs: number; firstOfStreak: boolean };
  /** Records a good call; returns how many failures it ends (0 when there was no streak). */
  recordSuccess(): number;
  /** The block for the current key, if the API refused it. */
  authBlock(): AuthBlock | undefined;
  /** Blocks model calls for the current key; false when it was already blocked (journal and notify once). */
  blockAuth(block: Omit<AuthBlock, "keyId">): boolean;
  /** Lifts the block (the key was accepted, or the user asked to retry); true when there was one. */
  clearAuth(): boolean;
}

/**
 * Backoff on top of the SDK's own retries: after a failed turn, no wake for 30 s, doubling per
 * consecutive failure up to 30 min. Kept in the database so a restart does not hammer a down API.
 * A refused key is not transient: it blocks model calls until the key (`keyId`) changes.
 */
export function createModelHealth(state: DaemonState, keyId: () => string = () => ""): ModelHealth {
  const read = () => state.get<HealthState>(KEY) ?? { failures: 0, backoffUntil: null };
  const authBlock = () => {
    const block = state.get<AuthBlock>(AUTH_KEY);
    return block && block.keyId === keyId() ? block : undefined;
  };
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
    authBlock,
    blockAuth(block) {
      if (authBlock()) return false;
      state.set(AUTH_KEY, { ...block, keyId: keyId() });
      return true;
    },
    clearAuth() {
      const had = state.get<AuthBlock>(AUTH_KEY) !== undefined;
      if (had) state.delete(AUTH_KEY);
      return had;
    },
  };
}

/** 401 (bad or revoked key) and 403 (no permission, a key of another organisation) do not heal by waiting. */
export function isAuthFailure(error: unknown): error is Error & { status: number } {
  const status = (error as { status?: unknown } | undefined)?.status;
  return status === 401 || status === 403;
}

/** The API's own words for a refusal ("invalid x-api-key"), without the SDK's JSON dump. */
export function describeAuthFailure(error: Error & { status: number }): string {
  const body = (error as { error?: { error?: { type?: string; message?: string } } }).error?.error;
  return body?.message ? `HTTP ${error.status} ${body.type ?? "error"}: ${body.message}` : `HTTP ${error.status}: ${error.message}`;
}

/** Which key the daemon runs with, as a short hash (never the key itself). */
export function fingerprintKey(env: NodeJS.ProcessEnv): string {
  const key = env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN || "";
  return key ? createHash("sha256").update(key).digest("hex").slice(0, 12) : "";
}

/** What the user must do, in one place for the journal, the notification, status and doctor. */
export const AUTH_FIX = "set a valid ANTHROPIC_API_KEY (for the service, in its service.env), then run vigil reload";
