import type Anthropic from "@anthropic-ai/sdk";

/** A reply's plain text, trimmed and capped: what a turn or sub-turn journals as its summary. */
export function textOfReply(content: Anthropic.ContentBlock[]): string {
  return content
    .filter((block): block is Anthropic.TextBlock => block.type === "text")
    .map((block) => block.text.trim())
    .join(" ")
    .slice(0, 500);
}
