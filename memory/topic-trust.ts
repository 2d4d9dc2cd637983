import path from "node:path";
import { writeFileAtomic } from "../daemon/store/write-file-atomic.js";
import { readMemorySnapshot, TOPIC_FILE } from "./memory-snapshot.js";
import { formatTopic, parseTopic } from "./topic-file.js";

/** Topics learned from outside text, for the review and `vigil memory show`. */
export function listUntrustedTopics(memoryDir: string): Array<{ topic: string; title: string; source: string }> {
  return Object.entries(readMemorySnapshot(memoryDir)).flatMap(([file, text]) => {
    const topic = TOPIC_FILE.exec(file)?.[1];
    const parsed = topic ? parseTopic(text) : undefined;
    return parsed?.header.trust === "untrusted" ? [{ topic: topic!, title: parsed.header.name, source: parsed.header.source ?? "unknown" }] : [];
  });
}

/**
 * The user vouches for a topic (`vigil memory trust TOPIC`): its `trust: untrusted` is dropped and
 * its source says who lifted it, so later prompts carry it unfenced.
 */
export function trustTopic(memoryDir: string, topic: string, now: Date): "trusted" | "already trusted" | "no such topic" {
  const file = path.join(memoryDir, "topics", `${topic}.md`);
  const parsed = parseTopic(readMemorySnapshot(memoryDir)[`topics/${topic}.md`]);
  if (!parsed) return "no such topic";
  if (parsed.header.trust !== "untrusted") return "already trusted";
  const { trust: _lifted, ...header } = parsed.header;
  writeFileAtomic(file, formatTopic({ ...header, source: `${header.source ?? "unknown"}; trusted by the user on ${now.toISOString().slice(0, 10)}` }, parsed.content));
  return "trusted";
}
