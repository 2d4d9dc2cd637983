import YAML from "yaml";

export const TOPIC_TYPES = ["user", "feedback", "project", "reference"] as const;
export type TopicType = (typeof TOPIC_TYPES)[number];

export interface TopicHeader {
  name: string;
  description: string;
  type: TopicType;
  /** Set by the user: a dream may rewrite the topic but never drop it. */
  pinned?: boolean;
  /** Learned (in part) from outside text: fenced as data in every prompt until `vigil memory trust`. */
  trust?: "untrusted";
  /** Where it came from: the turn or dream that wrote it last. */
  source?: string;
}

const FRONTMATTER = /^---\n([\s\S]*?)\n---\n/;

/** A topic file: YAML frontmatter (quoted by the YAML library, so a colon in a hook is safe), then the content. */
export function formatTopic(header: TopicHeader, content: string): string {
  return `---\n${YAML.stringify(header).trim()}\n---\n\n${content.trim()}\n`;
}

/** The frontmatter of a topic file, or what is wrong with it. */
export function parseTopicHeader(text: string): { header: TopicHeader } | { problem: string } {
  const match = FRONTMATTER.exec(text);
  if (!match) return { problem: "it does not start with a --- frontmatter block" };
  let data: unknown;
  try {
    data = YAML.parse(match[1]!);
  } catch (error) {
    return { problem: `its frontmatter is not valid YAML (${(error as Error).message.split("\n")[0]})` };
  }
  const { name, description, type, pinned, trust, source } = (data ?? {}) as Record<string, unknown>;
  if (typeof name !== "string" || !name.trim()) return { problem: "its frontmatter has no name" };
  if (typeof description !== "string" || !description.trim()) return { problem: "its frontmatter has no description" };
  if (!TOPIC_TYPES.includes(type as TopicType)) return { problem: `its frontmatter type must be one of ${TOPIC_TYPES.join(", ")}` };
  if (pinned !== undefined && typeof pinned !== "boolean") return { problem: "its frontmatter pinned must be true or false" };
  if (trust !== undefined && trust !== "untrusted") return { problem: "its frontmatter trust may only be untrusted (or absent)" };
  if (source !== undefined && typeof source !== "string") return { problem: "its frontmatter source must be text" };
  return { header: { name, description, type: type as TopicType, ...(pinned ? { pinned } : {}), ...(trust ? { trust } : {}), ...(source ? { source } : {}) } };
}

/** The header and the content after it, or undefined for a file that is not a topic. */
export function parseTopic(text: string | undefined): { header: TopicHeader; content: string } | undefined {
  if (text === undefined) return undefined;
  const parsed = parseTopicHeader(text);
  if ("problem" in parsed) return undefined;
  return { header: parsed.header, content: text.replace(FRONTMATTER, "").trim() };
}

/** Whether a topic's text says it was learned from outside text. */
export function isUntrustedTopic(text: string | undefined): boolean {
  return parseTopic(text)?.header.trust === "untrusted";
}

/** Whether a topic's text carries the user's `pinned: true`. */
export function isPinnedTopic(text: string | undefined): boolean {
  const parsed = text === undefined ? undefined : parseTopicHeader(text);
  return parsed !== undefined && "header" in parsed && parsed.header.pinned === true;
}
