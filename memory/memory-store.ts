import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../daemon/store/write-file-atomic.js";
import { checkIndexLimits, formatIndexLine, parseIndex } from "./memory-index.js";
import { readMemoryIndex } from "./read-memory-index.js";

export const TOPIC_TYPES = ["user", "feedback", "project", "reference"] as const;

export interface TopicInput {
  topic: string;
  title: string;
  hook: string;
  type: (typeof TOPIC_TYPES)[number];
  content: string;
}

export class MemoryLimitError extends Error {}

/** The index and topic files under `memory/`, written topic first, index line second. */
export function createMemoryStore(memoryDir: string) {
  const topicsDir = path.join(memoryDir, "topics");
  const topicFile = (topic: string) => path.join(topicsDir, `${topic}.md`);
  return {
    readIndex: () => readMemoryIndex(memoryDir),
    readTopic(topic: string): string | undefined {
      try {
        return readFileSync(topicFile(topic), "utf8");
      } catch {
        return undefined;
      }
    },
    /**
     * Writes the topic file, then its index line. A crash between the two leaves a topic without
     * a line (found again by search), never a line pointing at a missing file. The index is
     * checked against its limits before anything is written.
     */
    write(input: TopicInput): void {
      const lines = parseIndex(readMemoryIndex(memoryDir)).filter((line) => line.topic !== input.topic);
      lines.push({ title: input.title, topic: input.topic, hook: input.hook });
      const index = `${lines.map(formatIndexLine).join("\n")}\n`;
      const problems = checkIndexLimits(index);
      if (problems.length) throw new MemoryLimitError(problems.join("; "));
      mkdirSync(topicsDir, { recursive: true });
      const frontmatter = `---\nname: ${input.title}\ndescription: ${input.hook}\ntype: ${input.type}\n---\n\n`;
      writeFileAtomic(topicFile(input.topic), frontmatter + input.content.trim() + "\n");
      writeFileAtomic(path.join(memoryDir, "MEMORY.md"), index);
    },
  };
}
