import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isSameProcess } from "./process-identity.js";

export { isProcessAlive } from "./process-identity.js";

export interface LockInfo {
  pid: number;
  startedAt: string;
  version: string;
  /** The holder's kernel start time (readProcessStart), so a reused pid does not hold the lock. */
  procStart?: string;
}

export class LockHeldError extends Error {
  constructor(
    readonly holder: LockInfo,
    readonly lockFile: string,
    what = "vigil",
  ) {
    super(`${what} is already running: pid ${holder.pid} holds ${lockFile} (since ${holder.startedAt})`);
    this.name = "LockHeldError";
  }
}

export interface LockOptions {
  /** What the lock guards, for the error ("vigil", "a dream"). */
  what?: string;
  /** A lock older than this is stale even if its pid lives (a hung holder, or a reused pid). */
  staleAfterMs?: number;
}

/**
 * Takes a single-instance lock: a file created exclusively, holding our pid. A lock whose pid is
 * dead (or that is older than staleAfterMs) is stale and taken over. After writing we read it
 * back, so of two processes racing to take over the same stale lock, only one goes on.
 */
export function acquireInstanceLock(lockFile: string, info: LockInfo, { what, staleAfterMs = Infinity }: LockOptions = {}): { release(): void } {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockFile, JSON.stringify(info), { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readInstanceLock(lockFile);
      const fresh = holder && Date.parse(info.startedAt) - Date.parse(holder.startedAt) < staleAfterMs;
      if (holder && fresh && isLockHolderRunning(holder)) throw new LockHeldError(holder, lockFile, what);
      _removeQuietly(lockFile);
      continue;
    }
    const holder = readInstanceLock(lockFile);
    if (!_isOurs(holder, info)) throw new LockHeldError(holder ?? info, lockFile, what);
    return { release: () => _isOurs(readInstanceLock(lockFile), info) && _removeQuietly(lockFile) };
  }
  throw new Error(`could not take ${lockFile}: another process keeps replacing it; remove it if no vigil is running`);
}

/** The lock's holder, or undefined when there is no lock or it is unreadable (a torn write). */
export function readInstanceLock(lockFile: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(lockFile, "utf8")) as LockInfo;
    return Number.isInteger(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The holder is the live process that took the lock, not a crashed one whose pid was reused. */
export function isLockHolderRunning(holder: LockInfo): boolean {
  return isSameProcess(holder.pid, holder.procStart);
}

function _removeQuietly(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

function _isOurs(holder: LockInfo | undefined, info: LockInfo): boolean {
  return holder?.pid === info.pid && holder.startedAt === info.startedAt;
}
