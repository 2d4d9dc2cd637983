import { readFileSync, rmSync } from "node:fs";
import { makePrivateDir } from "../daemon/store/private-files.js";
import path from "node:path";
import { writeFileAtomic } from "../daemon/store/write-file-atomic.js";
import { checkIndexLimits, formatIndexLine, parseIndex, type IndexLine } from "./memory-index.js";
import { INDEX_FILE } from "./memory-snapshot.js";
import { readMemoryIndex } from "./read-memory-index.js";
import { formatTopic, isPinnedTopic, isUntrustedTopic, type TopicType } from "./topic-file.js";

export { TOPIC_TYPES } from "./topic-file.js";

export interface TopicInput {
  topic: string;
  title: string;
  hook: string;
  type: TopicType;
  content: string;
}

export class MemoryLimitError extends Error {}

export interface MemoryStoreOptions {
  /** Runs between the topic file and its index line; a test kills the process here. */
  afterTopicWritten?: () => void;
}

/** The index and topic files under one memory directory (the live one, or a dream's staging copy). */
export function createMemoryStore(memoryDir: string, options: MemoryStoreOptions = {}) {
  const topicFile = (topic: string) => path.join(memoryDir, "topics", `${topic}.md`);
  const writeIndex = (lines: IndexLine[]) => {
    const index = lines.length ? `${lines.map(formatIndexLine).join("\n")}\n` : "";
    const problems = checkIndexLimits(index);
    if (problems.length) throw new MemoryLimitError(problems.join("; "));
    return () => writeFileAtomic(path.join(memoryDir, INDEX_FILE), index);
  };
  const otherLines = (topic: string) => parseIndex(readMemoryIndex(memoryDir)).filter((line) => line.topic !== topic);
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
     * Topic file first, then its index line: a crash between the two leaves a topic without a line
     * (put back by reconcileMemoryIndex at the next start), never a line pointing at a missing file.
     * The index is checked against its limits before anything is written.
     */
    write(input: TopicInput, source?: string): void {
      const commitIndex = writeIndex([...otherLines(input.topic), { title: input.title, topic: input.topic, hook: input.hook }]);
      makePrivateDir(path.dirname(topicFile(input.topic)));
      // A pin is the user's: rewriting the topic keeps it. So is distrust: only the user lifts it.
      const existing = this.readTopic(input.topic);
      const pinned = isPinnedTopic(existing);
      const untrusted = isUntrustedTopic(existing);
      const header = { name: input.title, description: input.hook, type: input.type, ...(pinned ? { pinned } : {}), ...(untrusted ? { trust: "untrusted" as const } : {}), ...(source ? { source } : {}) };
      writeFileAtomic(topicFile(input.topic), formatTopic(header, input.content));
      options.afterTopicWritten?.();
      commitIndex();
    },
    /** The reverse order: the index line goes first, then the file. */
    remove(topic: string): boolean {
      const lines = otherLines(topic);
      const existed = this.readTopic(topic) !== undefined;
      writeIndex(lines)();
      rmSync(topicFile(topic), { force: true });
      return existed;
    },
  };
}

export type MemoryStore = ReturnType<typeof createMemoryStore>;
