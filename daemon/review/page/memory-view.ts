import type { MemoryVersions } from "../../../memory/memory-versions.js";
import { renderMemoryPatch } from "../../../memory/diff-memory.js";

export interface MemoryView {
  /** The newest version a dream made, and the one before it (what a revert goes back to). */
  dream: { version: number; ts: string; before: number | null; patch: string } | null;
  latest: { version: number; ts: string; reason: string } | null;
}

/** What the last dream changed, as a unified diff, and which version reverting it restores. */
export function buildMemoryView(versions: MemoryVersions, depth = 200): MemoryView {
  const recent = versions.list(depth);
  const latest = recent[0] ? { version: recent[0].version, ts: recent[0].ts, reason: recent[0].reason } : null;
  const index = recent.findIndex((version) => version.reason === "dream");
  if (index < 0) return { dream: null, latest };
  const dream = recent[index]!;
  const before = recent[index + 1];
  return { dream: { version: dream.version, ts: dream.ts, before: before?.version ?? null, patch: renderMemoryPatch(before?.files ?? {}, dream.files) }, latest };
}
