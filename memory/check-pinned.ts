import { parseIndex } from "./memory-index.js";
import { INDEX_FILE, type MemorySnapshot } from "./memory-snapshot.js";
import { isPinnedTopic } from "./topic-file.js";

/**
 * Pinned topics (`pinned: true` in their frontmatter, set by the user) that a proposed memory
 * drops, unpins or leaves out of the index; one problem each, empty when all are kept.
 */
export function checkPinnedKept(before: MemorySnapshot, after: MemorySnapshot): string[] {
  const indexed = new Set(parseIndex(after[INDEX_FILE] ?? "").map((line) => `topics/${line.topic}.md`));
  return Object.entries(before)
    .filter(([file, text]) => file !== INDEX_FILE && isPinnedTopic(text))
    .filter(([file]) => !(file in after) || !isPinnedTopic(after[file]!) || !indexed.has(file))
    .map(([file]) => `${file} is pinned and must stay, pinned and indexed`);
}
