import { setTimeout as delay } from "node:timers/promises";
import { isProcessAlive, readInstanceLock, type LockInfo } from "./instance-lock.js";

/** The daemon holding the lock, if it lives. */
export function runningDaemon(lockFile: string): LockInfo | undefined {
  const holder = readInstanceLock(lockFile);
  return holder && isProcessAlive(holder.pid) ? holder : undefined;
}

/** SIGTERM, then wait for the process to end (its own stop takes up to the turn grace period). */
export async function stopDaemon(holder: LockInfo, timeoutMs = 35_000): Promise<boolean> {
  try {
    process.kill(holder.pid, "SIGTERM");
  } catch {
    return true; // already gone
  }
  return waitUntil(() => !isProcessAlive(holder.pid), timeoutMs);
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await delay(everyMs);
  }
  return true;
}
