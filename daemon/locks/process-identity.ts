import { readFileSync } from "node:fs";

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * When the kernel started `pid` (clock ticks since boot, field 22 of /proc/PID/stat), recorded in
 * run files so a pid reused after a crash or reboot is not taken for the Vigil that wrote them.
 * Undefined where there is no /proc (macOS) or the process is gone.
 */
export function readProcessStart(pid: number, procDir = "/proc"): string | undefined {
  try {
    const stat = readFileSync(`${procDir}/${pid}/stat`, "utf8");
    // Field 2 (the command name) is in parentheses and may hold spaces: count from the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * Is `pid` still the process that recorded `start`? Alive, and where the system can tell, started
 * at that same moment; with no recorded start (an older file, or no /proc) being alive is all we know.
 */
export function isSameProcess(pid: number, start: string | undefined): boolean {
  if (!isProcessAlive(pid)) return false;
  if (start === undefined) return true;
  const current = readProcessStart(pid);
  return current === undefined || current === start;
}
