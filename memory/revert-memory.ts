import { readMemorySnapshot, sameSnapshot, writeMemorySnapshot, type MemorySnapshot } from "./memory-snapshot.js";
import type { MemoryVersions } from "./memory-versions.js";

export class NothingToRevertError extends Error {}

/**
 * Puts the memory back to `version`, or by default to the version before the newest. Whatever is
 * on disk is captured first (a hand edit is never lost to a revert), and the revert is itself a new
 * version, so it can be reverted too. A refused revert changes nothing: the target is found before
 * anything is captured.
 */
export function revertMemory(versions: MemoryVersions, memoryDir: string, now: Date, version?: number): { from: number; to: number } {
  const onDisk = readMemorySnapshot(memoryDir);
  const target = version === undefined ? _previousVersion(versions, onDisk) : versions.get(version);
  if (!target) {
    throw new NothingToRevertError(version === undefined ? "there is no earlier memory version to revert to" : `there is no memory version ${version}; \`vigil memory show\` lists them`);
  }
  const from = versions.capture("found on disk before a revert", now, onDisk);
  writeMemorySnapshot(memoryDir, target.files);
  versions.capture(`revert to version ${target.version}`, now, target.files);
  return { from, to: target.version };
}

/** What "the version before the newest" is once the disk is captured: a hand edit makes the latest one the previous. */
function _previousVersion(versions: MemoryVersions, onDisk: MemorySnapshot) {
  const latest = versions.latest();
  return latest && !sameSnapshot(latest.files, onDisk) ? latest : versions.list(2)[1];
}
