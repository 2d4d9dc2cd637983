/** The words a search looks for: letters, digits and underscores, lower-cased, each once, at most 32 (either engine's query is built from them). */
export function queryWords(query: string): string[] {
  const words = query.match(/[\p{L}\p{N}_]+/gu) ?? [];
  return [...new Set(words.map((word) => word.toLowerCase()))].slice(0, 32);
}

/**
 * An FTS5 query of `words` that cannot be a syntax error: every word becomes a quoted string
 * (quotes inside doubled), so `AND`, `NEAR(`, `*`, `:` and stray quotes in what a user or the
 * model typed are searched for as text instead of parsed. Empty when there is nothing to search for.
 */
export function quoteFtsQuery(words: readonly string[], join: "AND" | "OR" = "AND"): string {
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(` ${join} `);
}
