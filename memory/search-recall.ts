import type { VigilDatabase } from "../daemon/store/open-database.js";
import { quoteFtsQuery } from "./quote-fts-query.js";

export interface RecallHit {
  source: "journal" | "transcript";
  /** The journal seq or the turn id. */
  ref: string;
  day: string;
  snippet: string;
}

/** Ranked snippets from the journal and past turns; never a whole transcript. */
export function searchRecall(db: VigilDatabase, query: string, limit = 8): RecallHit[] {
  const match = quoteFtsQuery(query);
  if (!match) return [];
  return db
    .prepare<[string, number], RecallHit>(
      `SELECT source, CAST(ref AS TEXT) AS ref, day, snippet(recall, 0, '«', '»', ' … ', 24) AS snippet
       FROM recall WHERE recall MATCH ? ORDER BY bm25(recall) LIMIT ?`,
    )
    .all(match, limit);
}
