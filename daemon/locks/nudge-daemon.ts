import { VERSION } from "../version.js";
import { isLockHolderRunning, readInstanceLock } from "./instance-lock.js";

/** `vigil tell` sends this to the running daemon: "an event is waiting, tick once it settles". */
export const NUDGE_SIGNAL: NodeJS.Signals = "SIGUSR2";

/**
 * Tells the daemon holding `lockFile` that an event is in the queue, so it does not wait for its
 * next tick. Best effort: no daemon, a crashed one whose pid another process now has, another
 * user's daemon, or a daemon of another version (which might not handle the signal, and SIGUSR2
 * would end it) are left to find the event on their own.
 */
export function nudgeDaemon(lockFile: string): boolean {
  const holder = readInstanceLock(lockFile);
  if (!holder || holder.version !== VERSION || holder.pid === process.pid || !isLockHolderRunning(holder)) return false;
  try {
    process.kill(holder.pid, NUDGE_SIGNAL);
    return true;
  } catch {
    return false;
  }
}
