import type { VigilDatabase } from "../daemon/store/open-database.js";
import { indexJournal } from "./index-journal.js";
import { quoteFtsQuery } from "./quote-fts-query.js";

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
  indexJournal(db);
  const statement = db.prepare<[string, number], RecallHit>(
    `SELECT source, CAST(ref AS TEXT) AS ref, day, snippet(recall, 0, '«', '»', ' … ', 24) AS snippet
     FROM recall WHERE recall MATCH ? ORDER BY bm25(recall) LIMIT ?`,
  );
  const all = quoteFtsQuery(query, "AND");
  if (!all) return [];
  const hits = statement.all(all, limit);
  return hits.length ? hits : statement.all(quoteFtsQuery(query, "OR"), limit);
}
