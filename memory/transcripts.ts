import type Anthropic from "@anthropic-ai/sdk";
import { localDay } from "../logs/local-day.js";
import type { VigilDatabase } from "../daemon/store/open-database.js";

type Message = Anthropic.MessageParam;

/** Each block is capped: a transcript is for finding what happened, not for replaying file contents. */
const BLOCK_CHARS = 2_000;

/**
 * Stores a turn's messages compactly as text (one line per block: what was said, which tool was
 * called with what, what came back), so `memory_search` finds it later. The first message is the
 * turn's prompt, whose journal excerpt is already indexed on its own; only its events are kept.
 * Redacted like everything else at rest: a model may echo a secret it read.
 */
export function saveTranscript(db: VigilDatabase, turnId: string, messages: readonly Message[], { now, timeZone, redact }: { now: Date; timeZone: string; redact: (text: string) => string }): void {
  const body = redact(messages.flatMap(_renderMessage).join("\n"));
  if (!body) return;
  db.prepare("INSERT OR IGNORE INTO transcripts (turn_id, ts, day, body) VALUES (?, ?, ?, ?)").run(turnId, now.toISOString(), localDay(now, timeZone), body);
}

function _renderMessage(message: Message): string[] {
  if (typeof message.content === "string") return [`${message.role}: ${_cap(_eventsOf(message.content))}`];
  return message.content.map((block) => `${message.role}: ${_cap(_renderBlock(block))}`);
}

function _renderBlock(block: Anthropic.ContentBlockParam): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "tool_use":
      return `→ ${block.name} ${JSON.stringify(block.input)}`;
    case "tool_result":
      return `← ${block.is_error ? "error: " : ""}${typeof block.content === "string" ? block.content : JSON.stringify(block.content)}`;
    default:
      return `[${block.type}]`;
  }
}

function _eventsOf(prompt: string): string {
  const start = prompt.indexOf("Events since the last turn");
  const end = prompt.indexOf("Recent journal");
  return start >= 0 && end > start ? prompt.slice(start, end).trim() : prompt;
}

function _cap(text: string): string {
  return text.length > BLOCK_CHARS ? `${text.slice(0, BLOCK_CHARS)} …` : text;
}
