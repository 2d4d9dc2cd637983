/** About four characters a token: the budgets in `context:` are counted with this estimate. */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * At most `maxChars` of `text`, cut at a character boundary, saying how much was left out, so a
 * reader (the model, the user) knows the text goes on and where to find the rest.
 */
export function clipText(text: string, maxChars: number, where = ""): string {
  if (text.length <= maxChars) return text;
  const note = ` … (${(text.length - maxChars).toLocaleString("en-US")} more characters${where ? `; ${where}` : ""})`;
  return `${sliceWhole(text, Math.max(0, maxChars - note.length))}${note}`;
}

/** `text.slice(0, end)` without cutting a character in two: a lone surrogate is not text (PostgreSQL's jsonb refuses it). */
export function sliceWhole(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/** As many of `newestFirst` as fit in `room` characters (a newline each), returned oldest first. */
export function fitNewest(newestFirst: readonly string[], room: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of newestFirst) {
    if (used + line.length > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  return kept.reverse();
}
