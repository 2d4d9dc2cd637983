import path from "node:path";
import { writeFileAtomic } from "../daemon/store/write-file-atomic.js";
import { checkIndexLimits, formatIndexLine, INDEX_LIMITS, parseIndex, type IndexLine } from "./memory-index.js";
import { INDEX_FILE, readMemorySnapshot, TOPIC_FILE } from "./memory-snapshot.js";
import { parseTopicHeader } from "./topic-file.js";

/**
 * Brings the index back in line with the topic files after a crash or a hand edit: a topic file
 * with no index line gets one from its frontmatter (the write that died between the two is
 * finished), and a line pointing at a missing file is dropped. Returns what it changed.
 */
export function reconcileMemoryIndex(memoryDir: string): { added: string[]; dropped: string[] } {
  const snapshot = readMemorySnapshot(memoryDir);
  const lines = parseIndex(snapshot[INDEX_FILE] ?? "");
  const topics = Object.keys(snapshot)
    .map((file) => TOPIC_FILE.exec(file)?.[1])
    .filter((topic): topic is string => topic !== undefined);
  const kept = lines.filter((line) => topics.includes(line.topic));
  const dropped = lines.filter((line) => !topics.includes(line.topic)).map((line) => line.topic);
  const added: string[] = [];
  for (const topic of topics.filter((name) => !lines.some((line) => line.topic === name))) {
    const parsed = parseTopicHeader(snapshot[`topics/${topic}.md`]!);
    if (!("header" in parsed)) continue;
    const line = _fitLine({ title: parsed.header.name, topic, hook: parsed.header.description });
    const index = [...kept, line].map(formatIndexLine).join("\n") + "\n";
    if (checkIndexLimits(index).length) continue;
    kept.push(line);
    added.push(topic);
  }
  if (added.length || dropped.length) writeFileAtomic(path.join(memoryDir, INDEX_FILE), kept.length ? `${kept.map(formatIndexLine).join("\n")}\n` : "");
  return { added, dropped };
}

function _fitLine(line: IndexLine): IndexLine {
  const room = INDEX_LIMITS.lineChars - formatIndexLine({ ...line, hook: "" }).length;
  return line.hook.length <= room ? line : { ...line, hook: `${line.hook.slice(0, Math.max(0, room - 1))}…` };
}
