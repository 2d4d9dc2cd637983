import type { Journal } from "../logs/journal.js";
import { writeMemorySnapshot } from "./memory-snapshot.js";
import type { MemoryVersions } from "./memory-versions.js";

export class NothingToRevertError extends Error {}

/**
 * Puts the memory back to `version`, or by default to the version before the newest. Whatever is
 * on disk is captured first (a hand edit is never lost to a revert), and the revert is itself a new
 * version, so it can be reverted too.
 */
export function revertMemory(versions: MemoryVersions, memoryDir: string, now: Date, version?: number): { from: number; to: number } {
  const from = versions.capture("found on disk before a revert", now);
  const target = version === undefined ? versions.list(2)[1] : versions.get(version);
  if (!target) {
    throw new NothingToRevertError(version === undefined ? "there is no earlier memory version to revert to" : `there is no memory version ${version}; \`vigil memory show\` lists them`);
  }
  writeMemorySnapshot(memoryDir, target.files);
  versions.capture(`revert to version ${target.version}`, now, target.files);
  return { from, to: target.version };
}

/**
 * The one way a user reverts memory (`vigil memory revert`, the review page): the revert, then
 * its journal row saying where it came from.
 */
export function revertMemoryAndRecord(
  deps: { versions: MemoryVersions; memoryDir: string; journal: Pick<Journal, "append">; now: Date },
  version: number | undefined,
  by: "cli" | "page",
): { from: number; to: number } {
  const { from, to } = revertMemory(deps.versions, deps.memoryDir, deps.now, version);
  deps.journal.append({ kind: "system", summary: `memory reverted to version ${to}`, data: { event: "memory-reverted", from, to, by } });
  return { from, to };
}
