import type { VigilDatabase } from "../daemon/store/open-database.js";
import type { Redactor } from "../daemon/logger/redact-secrets.js";
import { canonicalJson } from "./canonical-json.js";
import { appendDailyMarkdown } from "./daily-markdown.js";
import { createDayFileWriter } from "./day-file-writer.js";
import { GENESIS_HASH, hashEntry } from "./hash-entry.js";
import { toJournalEntry, type JournalEntry, type JournalInput, type JournalRow } from "./journal-entry.js";
import { localDay } from "./local-day.js";
import { toStorableText } from "./storable-text.js";

export type { JournalInput } from "./journal-entry.js";

export interface JournalOptions {
  db: VigilDatabase;
  timeZone: string;
  redact: Redactor;
  now?: () => Date;
  /** Directory of the rendered daily Markdown logs; omit to skip rendering. */
  logsDir?: string;
}

export interface Journal {
  append(input: JournalInput): JournalEntry;
  /** Several rows in one transaction: consecutive seqs, one commit. */
  appendMany(inputs: readonly JournalInput[]): JournalEntry[];
  listDay(day: string): JournalEntry[];
  /** The turn's decision row (`decided` or `quiet`), or undefined while it has none. */
  decisionOf(turnId: string): JournalEntry | undefined;
  /**
   * For a write transaction that spans microtasks (the store port's, on SQLite): the Markdown of
   * every row appended until the returned release is written then, once, if it says the
   * transaction committed; rows a savepoint rolled back are left out.
   */
  holdRendering(): (committed: boolean) => void;
}

/**
 * The only writer of journal rows. Each append reads the chain's head and inserts the next row in
 * one IMMEDIATE transaction, so concurrent writers (the daemon and the CLI) serialize on SQLite's
 * write lock and the chain stays linear.
 */
export function createJournal({ db, timeZone, redact, now = () => new Date(), logsDir }: JournalOptions): Journal {
  const head = db.prepare<[], { seq: number; hash: string }>("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1");
  const insertRows = _createRowInserter(db);
  const selectDay = db.prepare<[string], JournalRow>("SELECT * FROM journal WHERE day = ? ORDER BY seq");
  const listDay = (day: string) => selectDay.all(day).map(toJournalEntry);
  const selectDecision = db.prepare<[string], JournalRow>(
    "SELECT * FROM journal WHERE kind IN ('decided', 'quiet') AND json_extract(data, '$.turnId') = ? ORDER BY seq DESC LIMIT 1",
  );

  // The database is the record; the Markdown is a rendering. A failed render (disk full, a
  // read-only folder) must not lose the row, and the next append rewrites the day whole.
  let renderFailed = false;
  const dayFile = createDayFileWriter();
  let batchDepth = 0;
  let pending: JournalEntry[] = [];
  const storedHash = db.prepare<[number], { seq: number; hash: string }>("SELECT seq, hash FROM journal WHERE seq >= ? ORDER BY seq");
  const render = (entries: JournalEntry[]) => {
    if (!logsDir) return;
    if (batchDepth > 0) {
      pending.push(...entries);
      return;
    }
    try {
      appendDailyMarkdown(logsDir, timeZone, entries, listDay, renderFailed, dayFile);
      renderFailed = false;
    } catch {
      renderFailed = true;
    }
  };

  const stamp = _createTimeStamper(timeZone);
  const appendAll = db.transaction((inputs: readonly JournalInput[]) => {
    let previous = head.get() ?? { seq: 0, hash: GENESIS_HASH };
    const rows: StoredValue[] = [];
    const entries = inputs.map((input): JournalEntry => {
      const seq = previous.seq + 1;
      const { ts, day } = stamp(now());
      const summary = toStorableText(redact(input.summary));
      const data = canonicalJson(input.data ?? {}, redact);
      const hash = hashEntry({ seq, ts, day, kind: input.kind, summary, data, prevHash: previous.hash });
      rows.push(seq, ts, day, input.kind, summary, data, previous.hash, hash);
      const entry = { seq, ts, day, kind: input.kind, summary, data: JSON.parse(data) as Record<string, unknown>, prevHash: previous.hash, hash };
      previous = entry;
      return entry;
    });
    insertRows(rows);
    // Rendered inside the transaction: the write lock keeps lines in seq order across processes.
    render(entries);
    return entries;
  });

  // A rolled-back savepoint's seq is reused by the next append: keep only rows stored as rendered.
  const _stillStored = (entries: JournalEntry[]) => {
    if (entries.length === 0) return entries;
    const stored = new Map(storedHash.all(entries[0]!.seq).map((row) => [row.seq, row.hash]));
    return entries.filter((entry) => stored.get(entry.seq) === entry.hash);
  };
  const holdRendering = () => {
    batchDepth++;
    return (committed: boolean) => {
      if (--batchDepth > 0) return;
      const entries = committed ? _stillStored(pending) : [];
      pending = [];
      render(entries);
    };
  };

  return {
    append: (input) => appendAll.immediate([input])[0]!,
    appendMany: (inputs) => appendAll.immediate(inputs),
    listDay,
    decisionOf: (turnId) => {
      const row = selectDecision.get(turnId);
      return row && toJournalEntry(row);
    },
    holdRendering,
  };
}

/** Rows per INSERT statement for a batch: one statement step per 32 rows instead of one per row. */
const ROWS_PER_INSERT = 32;
const COLUMNS = "(seq, ts, day, kind, summary, data, prev_hash, hash)";
const COLUMN_COUNT = 8;

/** A column value; rows are laid end to end in COLUMNS order, `data` as the stored canonical JSON. */
type StoredValue = number | string;

/** Inserts rows by position (binding by name costs a lookup per column per row), 32 to a statement where the batch allows. */
function _createRowInserter(db: VigilDatabase): (values: readonly StoredValue[]) => void {
  const one = db.prepare<unknown[]>(`INSERT INTO journal ${COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const many = db.prepare<unknown[]>(`INSERT INTO journal ${COLUMNS} VALUES ${Array(ROWS_PER_INSERT).fill("(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`);
  const chunk = ROWS_PER_INSERT * COLUMN_COUNT;
  return (values) => {
    let at = 0;
    for (; at + chunk <= values.length; at += chunk) many.run(values.slice(at, at + chunk));
    for (; at < values.length; at += COLUMN_COUNT) one.run(values.slice(at, at + COLUMN_COUNT));
  };
}

/** A row's `ts` and local `day`: rows appended in the same millisecond (a batch) share one formatting. */
function _createTimeStamper(timeZone: string): (instant: Date) => { ts: string; day: string } {
  let last = { ms: Number.NaN, ts: "", day: "" };
  return (instant) => {
    const ms = instant.getTime();
    if (ms !== last.ms) last = { ms, ts: instant.toISOString(), day: localDay(instant, timeZone) };
    return last;
  };
}
