/**
 * Turns what a user or the model typed into an FTS5 query that cannot be a syntax error: every
 * word becomes a quoted string (quotes inside doubled), so `AND`, `NEAR(`, `*`, `:` and stray
 * quotes are searched for as text instead of parsed. Empty when there is nothing to search for.
 */
export function quoteFtsQuery(query: string, join: "AND" | "OR" = "AND"): string {
  const words = query.match(/[\p{L}\p{N}_]+/gu) ?? [];
  return [...new Set(words.map((word) => word.toLowerCase()))]
    .slice(0, 32)
    .map((word) => `"${word.replaceAll('"', '""')}"`)
    .join(` ${join} `);
}
