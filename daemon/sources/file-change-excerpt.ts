const MAX_TEXT_BYTES = 64 * 1024;
const MAX_EXCERPT_LINES = 12;
const MAX_EXCERPT_CHARS = 800;

export function isSmallText(content: Buffer): boolean {
  return content.length <= MAX_TEXT_BYTES && !content.includes(0);
}

/**
 * A short excerpt of what changed in a small text file: the lines that are new since the last
 * version Vigil saw (or the first lines of a file it never saw), prefixed `+`, bounded in size.
 */
export function excerptOfChange(previous: string | undefined, current: string): string {
  const before = new Set((previous ?? "").split("\n"));
  const added = current.split("\n").filter((line) => line.trim() !== "" && (previous === undefined || !before.has(line)));
  const removed = previous === undefined ? 0 : previous.split("\n").filter((line) => line.trim() !== "" && !current.includes(line)).length;
  const lines = added.slice(0, MAX_EXCERPT_LINES).map((line) => `+ ${line}`);
  if (added.length > MAX_EXCERPT_LINES) lines.push(`(+${added.length - MAX_EXCERPT_LINES} more lines)`);
  if (removed) lines.push(`(${removed} line(s) removed)`);
  const text = lines.join("\n");
  return text.length > MAX_EXCERPT_CHARS ? `${text.slice(0, MAX_EXCERPT_CHARS)}…` : text;
}
