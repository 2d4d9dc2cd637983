import type { VigilDatabase } from "../daemon/store/open-database.js";
import { toJournalEntry, type JournalEntry, type JournalRow } from "./journal-entry.js";
import type { JournalKind } from "./journal-kinds.js";

export interface EntryQuery {
  day?: string;
  kind?: JournalKind;
  /** Case-insensitive text to find in the summary or the data. */
  grep?: string;
  limit?: number;
}

/** Journal rows in seq order, filtered; `day` uses the (day, seq) index so one day among millions is cheap. */
export function queryEntries(db: VigilDatabase, query: EntryQuery = {}): JournalEntry[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.day) {
    where.push("day = @day");
    params.day = query.day;
  }
  if (query.kind) {
    where.push("kind = @kind");
    params.kind = query.kind;
  }
  if (query.grep) {
    where.push("(summary LIKE @grep ESCAPE '\\' OR data LIKE @grep ESCAPE '\\')");
    params.grep = `%${query.grep.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  const sql = [
    "SELECT * FROM journal",
    where.length ? `WHERE ${where.join(" AND ")}` : "",
    "ORDER BY seq",
    query.limit ? `LIMIT ${Math.trunc(query.limit)}` : "",
  ].join(" ");
  return db.prepare<Record<string, unknown>, JournalRow>(sql).all(params).map(toJournalEntry);
}

export function lastEntry(db: VigilDatabase): JournalEntry | undefined {
  const row = db.prepare<[], JournalRow>("SELECT * FROM journal ORDER BY seq DESC LIMIT 1").get();
  return row && toJournalEntry(row);
}

/** The newest `limit` rows, oldest first (the prompt's "recent journal"). */
export function queryRecentEntries(db: VigilDatabase, limit: number): JournalEntry[] {
  return db
    .prepare<[number], JournalRow>("SELECT * FROM journal ORDER BY seq DESC LIMIT ?")
    .all(limit)
    .reverse()
    .map(toJournalEntry);
}

/** Rows after `seq`, oldest first, at most `limit` (a reader that follows the journal). */
export function queryEntriesAfter(db: VigilDatabase, seq: number, limit: number): JournalEntry[] {
  return db.prepare<[number, number], JournalRow>("SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?").all(seq, limit).map(toJournalEntry);
}
