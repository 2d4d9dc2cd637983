/**
 * Text as both engines store it: neither SQLite's UTF-8 (a lone surrogate comes back as U+FFFD)
 * nor PostgreSQL's text (no NUL at all) keeps NUL or a lone surrogate half. Both become U+FFFD
 * before the row is hashed, so the stored row is the hashed one, and a journal moves between
 * engines unchanged. `data` needs none of this: canonical JSON escapes both.
 */
export function toStorableText(text: string): string {
  // With the u flag a surrogate pair is one code point: only a lone half matches.
  return /[\u0000\uD800-\uDFFF]/u.test(text) ? text.replace(/[\u0000\uD800-\uDFFF]/gu, "\uFFFD") : text;
}
