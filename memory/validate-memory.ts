import { checkIndexLimits, parseIndex } from "./memory-index.js";
import { INDEX_FILE, TOPIC_FILE, type MemorySnapshot } from "./memory-snapshot.js";
import { parseTopicHeader } from "./topic-file.js";

/**
 * What makes a proposed memory unfit to swap in, each problem naming the file; empty when fit:
 * the index limits, a line that is not a pointer, a pointer to a missing topic, a topic with
 * malformed frontmatter, a file that is neither the index nor a topic.
 */
export function validateMemory(snapshot: MemorySnapshot): string[] {
  const index = snapshot[INDEX_FILE] ?? "";
  const problems = checkIndexLimits(index).map((problem) => `${INDEX_FILE}: ${problem}`);
  const pointers = parseIndex(index);
  const lines = index.split("\n").filter((line) => line.trim() !== "");
  if (pointers.length !== lines.length) problems.push(`${INDEX_FILE}: ${lines.length - pointers.length} line(s) are not of the form "- [Title](topics/name.md) — hook"`);
  for (const pointer of pointers) {
    if (!(`topics/${pointer.topic}.md` in snapshot)) problems.push(`${INDEX_FILE}: "${pointer.title}" points at topics/${pointer.topic}.md, which does not exist`);
  }
  for (const [file, text] of Object.entries(snapshot)) {
    if (file === INDEX_FILE) continue;
    if (!TOPIC_FILE.test(file)) {
      problems.push(`${file}: only MEMORY.md and topics/*.md belong in memory`);
      continue;
    }
    const parsed = parseTopicHeader(text);
    if ("problem" in parsed) problems.push(`${file}: ${parsed.problem}`);
  }
  return problems;
}
