import { isDeepStrictEqual } from "node:util";
import type { RawConfig } from "../config/config-schema.js";
import { formatKeyPath } from "../config/describe-config-issue.js";

/**
 * Keys a running daemon reads at the moment it uses them, so a reload can change them in place.
 * Everything else was wired at start (the HTTP server, the poll loop, the notifier, the tools'
 * workspace, cron jobs, the provider, the time zone) and needs a restart.
 */
const LIVE_KEYS: ReadonlyArray<readonly string[]> = [
  ["watch"],
  ["github", "subscriptions"],
  ["schedules"],
  ["rules"],
  ["hooks"],
  ["heartbeat", "idleWakeMinutes"],
  ["heartbeat", "maxSteps"],
  ["heartbeat", "quietHours"],
  ["model", "name"],
  ["model", "triageModel"],
  ["model", "criticModel"],
  ["model", "maxTokens"],
  ["model", "dailyTokenBudget"],
  ["tools", "policy"],
  ["review", "prices"],
];

export interface ConfigChanges {
  applied: string[];
  needsRestart: string[];
}

/** Writes the live keys that changed from `next` into `current` (in place: the runtime holds it) and names the rest. */
export function applyConfigChanges(current: RawConfig, next: RawConfig): ConfigChanges {
  const changes: ConfigChanges = { applied: [], needsRestart: [] };
  _walk(current as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, [], changes);
  return changes;
}

function _walk(current: Record<string, unknown>, next: Record<string, unknown>, path: string[], changes: ConfigChanges): void {
  for (const key of new Set([...Object.keys(current), ...Object.keys(next)])) {
    const keyPath = [...path, key];
    const [before, after] = [current[key], next[key]];
    if (isDeepStrictEqual(before, after)) continue;
    if (LIVE_KEYS.some((live) => isDeepStrictEqual(live, keyPath))) {
      current[key] = after;
      changes.applied.push(formatKeyPath(keyPath));
    } else if (_isMapping(before) && _isMapping(after)) {
      // Down to the key that changed: "server.host", not "server".
      _walk(before, after, keyPath, changes);
    } else {
      changes.needsRestart.push(formatKeyPath(keyPath));
    }
  }
}

function _isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
