import type { VigilDatabase } from "../daemon/store/open-database.js";
import { indexJournal } from "./index-journal.js";
import { queryWords, quoteFtsQuery } from "./quote-fts-query.js";

export interface RecallHit {
  source: "journal" | "transcript";
  /** The journal seq or the turn id. */
  ref: string;
  day: string;
  snippet: string;
}

/**
 * Ranked snippets from the journal and past turns; never a whole transcript. Rows holding every
 * word come first; when none does, rows holding any of them (a question rarely matches verbatim).
 */
export function searchRecall(db: VigilDatabase, query: string, limit = 8): RecallHit[] {
  return createRecallSearch(db).search(queryWords(query), limit);
}

/** The search by words (queryWords), in the store port's shape; PostgreSQL's is daemon/store/postgres/search-postgres-recall.ts. */
export function createRecallSearch(db: VigilDatabase): { search(words: readonly string[], limit?: number): RecallHit[] } {
  const statement = db.prepare<[string, number], RecallHit>(
    `SELECT source, CAST(ref AS TEXT) AS ref, day, snippet(recall, 0, '«', '»', ' … ', 24) AS snippet
     FROM recall WHERE recall MATCH ? ORDER BY bm25(recall) LIMIT ?`,
  );
  return {
    search(words, limit = 8) {
      if (words.length === 0) return [];
      indexJournal(db);
      const hits = statement.all(quoteFtsQuery(words, "AND"), limit);
      return hits.length ? hits : statement.all(quoteFtsQuery(words, "OR"), limit);
    },
  };
}
