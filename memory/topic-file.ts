import YAML from "yaml";

export const TOPIC_TYPES = ["user", "feedback", "project", "reference"] as const;
export type TopicType = (typeof TOPIC_TYPES)[number];

export interface TopicHeader {
  name: string;
  description: string;
  type: TopicType;
  /** Set by the user: a dream may rewrite the topic but never drop it. */
  pinned?: boolean;
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
  const { name, description, type, pinned } = (data ?? {}) as Record<string, unknown>;
  if (typeof name !== "string" || !name.trim()) return { problem: "its frontmatter has no name" };
  if (typeof description !== "string" || !description.trim()) return { problem: "its frontmatter has no description" };
  if (!TOPIC_TYPES.includes(type as TopicType)) return { problem: `its frontmatter type must be one of ${TOPIC_TYPES.join(", ")}` };
  if (pinned !== undefined && typeof pinned !== "boolean") return { problem: "its frontmatter pinned must be true or false" };
  return { header: { name, description, type: type as TopicType, ...(pinned ? { pinned } : {}) } };
}

/** Whether a topic's text carries the user's `pinned: true`. */
export function isPinnedTopic(text: string | undefined): boolean {
  const parsed = text === undefined ? undefined : parseTopicHeader(text);
  return parsed !== undefined && "header" in parsed && parsed.header.pinned === true;
}
