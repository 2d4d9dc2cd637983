import { statSync } from "node:fs";
import path from "node:path";
import { parseIndex } from "./memory-index.js";
import { readMemoryIndex } from "./read-memory-index.js";

const DAY_MS = 24 * 3600_000;

/**
 * The index as the prompt shows it: each line whose topic was last written more than a day ago
 * carries its age in days, so the model weighs an old memory as old. Ages move once a day, so the
 * cached prompt front changes at most daily.
 */
export function renderMemoryIndex(memoryDir: string, now: Date): string {
  const text = readMemoryIndex(memoryDir);
  if (!text) return "";
  return text
    .split("\n")
    .map((line) => {
      const [pointer] = parseIndex(line);
      const days = pointer && _ageDays(memoryDir, pointer.topic, now);
      return days && days >= 1 ? `${line} (${days} ${days === 1 ? "day" : "days"} old)` : line;
    })
    .join("\n");
}

function _ageDays(memoryDir: string, topic: string, now: Date): number | undefined {
  try {
    return Math.floor((now.getTime() - statSync(path.join(memoryDir, "topics", `${topic}.md`)).mtimeMs) / DAY_MS);
  } catch {
    return undefined;
  }
}
