/** An MCP result becomes this much text at most; the rest is dropped with a note. */
const MAX_RESULT_CHARS = 32 * 1024;

interface McpResultLike {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
  toolResult?: unknown;
}

/** The text of a tool result: text blocks as they are, other blocks named, structured content as JSON. */
export function textOfMcpResult(result: McpResultLike): { text: string; isError: boolean } {
  const blocks = Array.isArray(result.content) ? (result.content as Array<Record<string, unknown>>) : [];
  const parts = blocks.map((block) => {
    if (block.type === "text" && typeof block.text === "string") return block.text;
    if (block.type === "resource" && block.resource && typeof (block.resource as { text?: unknown }).text === "string") return (block.resource as { text: string }).text;
    return `[${String(block.type)}${typeof block.mimeType === "string" ? ` ${block.mimeType}` : ""} not shown]`;
  });
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  if (parts.length === 0 && result.toolResult !== undefined) parts.push(JSON.stringify(result.toolResult));
  const text = parts.join("\n") || "(no content)";
  const cut = text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}\n… (${text.length - MAX_RESULT_CHARS} more characters dropped)` : text;
  return { text: cut, isError: result.isError === true };
}
