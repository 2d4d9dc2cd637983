import { createTwoFilesPatch } from "diff";
import { INDEX_FILE, type MemorySnapshot } from "./memory-snapshot.js";

export interface MemoryChanges {
  added: string[];
  changed: string[];
  removed: string[];
  indexBefore: string[];
  indexAfter: string[];
}

/** Which files a change adds, rewrites and removes, with the index lines on both sides. */
export function diffMemory(before: MemorySnapshot, after: MemorySnapshot): MemoryChanges {
  const files = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return {
    added: files.filter((file) => !(file in before)),
    changed: files.filter((file) => file in before && file in after && before[file] !== after[file]),
    removed: files.filter((file) => !(file in after)),
    indexBefore: _lines(before[INDEX_FILE]),
    indexAfter: _lines(after[INDEX_FILE]),
  };
}

export function hasChanges(changes: MemoryChanges): boolean {
  return changes.added.length + changes.changed.length + changes.removed.length > 0;
}

/** A unified diff of every file that differs, for `vigil dream --dry-run`. */
export function renderMemoryPatch(before: MemorySnapshot, after: MemorySnapshot): string {
  const { added, changed, removed } = diffMemory(before, after);
  return [...added, ...changed, ...removed]
    .map((file) => createTwoFilesPatch(file in before ? `a/${file}` : "/dev/null", file in after ? `b/${file}` : "/dev/null", before[file] ?? "", after[file] ?? ""))
    .join("");
}

function _lines(text: string | undefined): string[] {
  return (text ?? "").split("\n").filter((line) => line.trim() !== "");
}
