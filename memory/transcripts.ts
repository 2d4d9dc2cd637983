import type Anthropic from "@anthropic-ai/sdk";
import { localDay } from "../logs/local-day.js";
import type { VigilDatabase } from "../daemon/store/open-database.js";
import type { TranscriptRow } from "../daemon/store/store-records.js";

type Message = Anthropic.MessageParam;

/** Each block is capped: a transcript is for finding what happened, not for replaying file contents. */
const BLOCK_CHARS = 2_000;
/** A tool's whole output (a file read, a command's output) is kept, up to the size a tool returns. */
const RESULT_CHARS = 256 * 1024;

/**
 * Stores a turn's messages compactly as text (one line per block: what was said, which tool was
 * called with what, what came back), so `memory_search` finds it later. The first message is the
 * turn's prompt, whose journal excerpt is already indexed on its own; only its events are kept.
 * Redacted like everything else at rest: a model may echo a secret it read.
 */
export function saveTranscript(db: VigilDatabase, turnId: string, messages: readonly Message[], options: TranscriptOptions): void {
  const row = renderTranscript(turnId, messages, options);
  if (row) createTranscriptRows(db).insert(row);
}

export interface TranscriptOptions {
  now: Date;
  timeZone: string;
  redact: (text: string) => string;
  fullResults?: ReadonlyMap<string, string>;
}

/** A turn's transcript row as either engine stores it; undefined when there is nothing to keep. */
export function renderTranscript(turnId: string, messages: readonly Message[], { now, timeZone, redact, fullResults = new Map() }: TranscriptOptions): TranscriptRow | undefined {
  const body = redact(messages.flatMap((message) => _renderMessage(message, fullResults)).join("\n"));
  return body ? { turnId, ts: now.toISOString(), day: localDay(now, timeZone), body } : undefined;
}

/** The transcripts table on SQLite, in the store port's shape (a second save of a turn keeps the first). */
export function createTranscriptRows(db: VigilDatabase): { insert(row: TranscriptRow): void } {
  const insert = db.prepare("INSERT OR IGNORE INTO transcripts (turn_id, ts, day, body) VALUES (?, ?, ?, ?)");
  return { insert: ({ turnId, ts, day, body }) => void insert.run(turnId, ts, day, body) };
}

function _renderMessage(message: Message, fullResults: ReadonlyMap<string, string>): string[] {
  if (typeof message.content === "string") return [`${message.role}: ${_cap(_eventsOf(message.content))}`];
  return message.content.map((block) => {
    // The model saw a clipped result; the transcript keeps what the tool really returned.
    const full = block.type === "tool_result" ? fullResults.get(block.tool_use_id) : undefined;
    if (full !== undefined) return `${message.role}: ← ${(block as Anthropic.ToolResultBlockParam).is_error ? "error: " : ""}${_cap(full, RESULT_CHARS)}`;
    return `${message.role}: ${_cap(_renderBlock(block), block.type === "tool_result" ? RESULT_CHARS : BLOCK_CHARS)}`;
  });
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

function _cap(text: string, max = BLOCK_CHARS): string {
  return text.length > max ? `${text.slice(0, max)} …` : text;
}
