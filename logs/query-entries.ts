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
  _addBounds(query, where, params);
  const sql = [
    "SELECT * FROM journal",
    where.length ? `WHERE ${where.join(" AND ")}` : "",
    query.last ? "ORDER BY seq DESC" : "ORDER BY seq",
    query.limit || query.last ? `LIMIT ${Math.trunc(query.last ?? query.limit!)}` : "",
  ].join(" ");
  const rows = db.prepare<Record<string, unknown>, JournalRow>(sql).all(params);
  return (query.last ? rows.reverse() : rows).map(toJournalEntry);
}

function _addBounds(query: EntryQuery, where: string[], params: Record<string, unknown>): void {
  // ts is ISO UTC text throughout, so text order is time order.
  if (query.since) {
    where.push("ts >= @since");
    params.since = query.since;
  }
  if (query.until) {
    where.push("ts < @until");
    params.until = query.until;
  }
  if (query.source) {
    where.push("json_extract(data, '$.source') = @source");
    params.source = query.source;
  }
  if (query.afterSeq !== undefined) {
    where.push("seq > @afterSeq");
    params.afterSeq = query.afterSeq;
  }
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
