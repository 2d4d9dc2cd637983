import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface LockInfo {
  pid: number;
  startedAt: string;
  version: string;
}

export class LockHeldError extends Error {
  constructor(
    readonly holder: LockInfo,
    readonly lockFile: string,
  ) {
    super(`vigil is already running: pid ${holder.pid} holds ${lockFile} (since ${holder.startedAt})`);
    this.name = "LockHeldError";
  }
}

/**
 * Takes the single-instance lock: a file created exclusively, holding our pid. A lock whose pid is
 * dead is stale and taken over. After writing we read it back, so of two processes racing to take
 * over the same stale lock, only the one whose pid is in the file goes on.
 */
export function acquireInstanceLock(lockFile: string, info: LockInfo): { release(): void } {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockFile, JSON.stringify(info), { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readInstanceLock(lockFile);
      if (holder && isProcessAlive(holder.pid)) throw new LockHeldError(holder, lockFile);
      _removeQuietly(lockFile);
      continue;
    }
    const holder = readInstanceLock(lockFile);
    if (holder?.pid !== info.pid) throw new LockHeldError(holder ?? info, lockFile);
    return { release: () => readInstanceLock(lockFile)?.pid === info.pid && _removeQuietly(lockFile) };
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

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function _removeQuietly(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}
