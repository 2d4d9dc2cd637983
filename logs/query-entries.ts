import type { VigilDatabase } from "../daemon/store/open-database.js";
import { toJournalEntry, type JournalEntry, type JournalRow } from "./journal-entry.js";
import type { JournalKind } from "./journal-kinds.js";

export interface EntryQuery {
  day?: string;
  kind?: JournalKind;
  /** Case-insensitive text to find in the summary or the data. */
  grep?: string;
  /** ISO instants: rows at or after `since`, before `until`. */
  since?: string;
  until?: string;
  /** The source of a noticed event (`github`, `files`, `user`, `schedule`, `clock`). */
  source?: string;
  /** Only rows after this seq (`vigil log --follow`). */
  afterSeq?: number;
  limit?: number;
  /** The newest `last` matching rows, still printed oldest first. */
  last?: number;
}

/** Each filter: its SQL (ts is ISO UTC text throughout, so text order is time order) and its parameter. */
const FILTERS: ReadonlyArray<[keyof EntryQuery, string, (value: never) => unknown]> = [
  ["day", "day = @day", (day: string) => day],
  ["kind", "kind = @kind", (kind: string) => kind],
  ["grep", "(summary LIKE @grep ESCAPE '\\' OR data LIKE @grep ESCAPE '\\')", (grep: string) => `%${grep.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
  ["since", "ts >= @since", (since: string) => since],
  ["until", "ts < @until", (until: string) => until],
  ["source", "json_extract(data, '$.source') = @source", (source: string) => source],
  ["afterSeq", "seq > @afterSeq", (seq: number) => seq],
];

/** Journal rows in seq order, filtered; `day` uses the (day, seq) index so one day among millions is cheap. */
export function queryEntries(db: VigilDatabase, query: EntryQuery = {}): JournalEntry[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  for (const [key, sql, toParam] of FILTERS) {
    const value = query[key];
    if (value === undefined || value === "") continue;
    where.push(sql);
    params[key] = toParam(value as never);
  }
  const sql = [
    "SELECT * FROM journal",
    where.length ? `WHERE ${where.join(" AND ")}` : "",
    query.last ? "ORDER BY seq DESC" : "ORDER BY seq",
    query.limit || query.last ? `LIMIT ${Math.trunc(query.last ?? query.limit!)}` : "",
  ].join(" ");
  const rows = db.prepare<Record<string, unknown>, JournalRow>(sql).all(params);
  return (query.last ? rows.reverse() : rows).map(toJournalEntry);
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

export function getEntry(db: VigilDatabase, seq: number): JournalEntry | undefined {
  const row = db.prepare<[number], JournalRow>("SELECT * FROM journal WHERE seq = ?").get(seq);
  return row && toJournalEntry(row);
}

/** Rows after `seq`, oldest first, at most `limit` (a reader that follows the journal). */
export function queryEntriesAfter(db: VigilDatabase, seq: number, limit: number): JournalEntry[] {
  return db.prepare<[number, number], JournalRow>("SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?").all(seq, limit).map(toJournalEntry);
}
