import { diffMemory } from "./diff-memory.js";
import { parseIndex } from "./memory-index.js";
import { INDEX_FILE, TOPIC_FILE, type MemorySnapshot } from "./memory-snapshot.js";
import { formatTopic, parseTopic } from "./topic-file.js";

/**
 * Stamps where a dream's changes came from: every topic it added or rewrote, or whose index line
 * it changed, gets `source`, and `trust: untrusted` when the dream read rows that quote outside
 * text. Untrusted stays untrusted (only the user lifts it). Returns the stamped snapshot and the
 * topics now untrusted because of this dream.
 */
export function markProvenance(before: MemorySnapshot, after: MemorySnapshot, { source, untrusted }: { source: string; untrusted: boolean }): { after: MemorySnapshot; untrustedTopics: string[] } {
  const changes = diffMemory(before, after);
  const touched = new Set(
    [...changes.added, ...changes.changed]
      .map((file) => TOPIC_FILE.exec(file)?.[1])
      .filter((topic): topic is string => topic !== undefined),
  );
  const lineOf = (snapshot: MemorySnapshot) => new Map(parseIndex(snapshot[INDEX_FILE] ?? "").map((line) => [line.topic, `${line.title}\n${line.hook}`]));
  const old = lineOf(before);
  for (const [topic, line] of lineOf(after)) if (old.get(topic) !== line) touched.add(topic);
  const stamped: MemorySnapshot = { ...after };
  const untrustedTopics: string[] = [];
  for (const topic of touched) {
    const file = `topics/${topic}.md`;
    const parsed = parseTopic(stamped[file]);
    if (!parsed) continue; // validation reports it
    const trust = untrusted || parsed.header.trust === "untrusted" ? ("untrusted" as const) : undefined;
    if (untrusted) untrustedTopics.push(topic);
    const { trust: _dropped, ...rest } = parsed.header;
    stamped[file] = formatTopic({ ...rest, ...(trust ? { trust } : {}), source }, parsed.content);
  }
  return { after: stamped, untrustedTopics: untrustedTopics.sort() };
}
