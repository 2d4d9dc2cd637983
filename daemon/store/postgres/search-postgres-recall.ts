import type { PostgresQueryable } from "./postgres-queryable.js";

/** A hit as memory/search-recall.ts returns one (the ground names no feature's type). */
export interface PostgresRecallHit {
  source: "journal" | "transcript";
  ref: string;
  day: string;
  snippet: string;
}

/**
 * Feeds vigil.recall every journal row appended since the last search, as memory/index-journal.ts
 * does on SQLite: one statement, under the progress row's lock, so two nodes searching at once
 * index each row once. Call it inside a transaction (the store's).
 */
export async function indexPostgresJournal(db: PostgresQueryable): Promise<number> {
  const from = Number((await db.query<{ journal_seq: string }>("SELECT journal_seq FROM vigil.recall_progress WHERE id = 1 FOR UPDATE")).rows[0]!.journal_seq);
  const head = Number((await db.query<{ seq: string }>("SELECT coalesce(max(seq), 0) AS seq FROM vigil.journal")).rows[0]!.seq);
  if (head <= from) return 0;
  await db.query("INSERT INTO vigil.recall (body, source, ref, day) SELECT kind || ': ' || summary || ' ' || data, 'journal', seq::text, day FROM vigil.journal WHERE seq > $1 AND seq <= $2 ORDER BY seq", [from, head]);
  await db.query("UPDATE vigil.recall_progress SET journal_seq = $1 WHERE id = 1", [head]);
  return head - from;
}

const SEARCH = `SELECT source, ref, day,
    ts_headline('vigil.recall_words', body, q, 'StartSel=«, StopSel=», MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=" … "') AS snippet
  FROM vigil.recall, to_tsquery('vigil.recall_words', $1) AS q
 WHERE words @@ q ORDER BY ts_rank(words, q) DESC, id LIMIT $2`;

/**
 * Ranked snippets from the journal and past turns, with PostgreSQL's text search (the GIN index on
 * vigil.recall.words): rows holding every word first, and when none does, rows holding any.
 * `words` are letters, digits and underscores only (memory/quote-fts-query.ts's queryWords), so
 * joining them with & or | is always a valid tsquery, whatever the user typed.
 */
export async function searchPostgresRecall(db: PostgresQueryable, words: readonly string[], limit = 8): Promise<PostgresRecallHit[]> {
  if (words.length === 0) return [];
  if (words.some((word) => !/^[\p{L}\p{N}_]+$/u.test(word))) throw new TypeError("searchPostgresRecall takes words of letters, digits and underscores (queryWords)");
  await indexPostgresJournal(db);
  const all = (await db.query<PostgresRecallHit>(SEARCH, [words.join(" & "), limit])).rows;
  return all.length ? all : (await db.query<PostgresRecallHit>(SEARCH, [words.join(" | "), limit])).rows;
}
