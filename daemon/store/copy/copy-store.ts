import { checkCopyValue } from "./check-copy-value.js";
import { journalMatches, type CopySource, type CopyTarget, type JournalHead, type TableShape } from "./copy-sides.js";
import { COPIED_TABLES, DERIVED_TABLES, type StoreTable } from "./store-tables.js";
import { StoreCopyError } from "./store-copy-error.js";

export interface TableCopied {
  table: string;
  rows: number;
  ms: number;
}

export interface CopyReport {
  tables: TableCopied[];
  rows: number;
  ms: number;
  journal: JournalHead;
  notes: readonly string[];
}

export interface CopyOptions {
  source: CopySource;
  /** Opened by the caller; finished by the copy, or aborted when anything fails. */
  target: CopyTarget;
  /** Rows read, checked and written per statement. */
  pageRows?: number;
  /** Once both ends are checked (same tables, the target empty), before the first row. */
  onStart?: () => void;
  onTable?: (copied: TableCopied) => void;
  onProgress?: (table: string, rows: number, of: number) => void;
  /** Aborted (SIGINT, SIGTERM): the copy stops after the page it is on and undoes everything. */
  signal?: AbortSignal;
  /** Milliseconds, for the rates. */
  clock?: () => number;
}

/**
 * Copies a whole store from `source` into the empty `target`: every table's rows with their ids,
 * journal rows exactly as stored (seq, ts, day, kind, summary, data text, prevHash, hash), in
 * batches. The target then verifies the chain and commits only if it verifies and ends where the
 * source's does; on any failure it is left as it was.
 */
export async function copyStore({ source, target, pageRows = 5000, onStart, onTable, onProgress, signal, clock = () => performance.now() }: CopyOptions): Promise<CopyReport> {
  const started = clock();
  try {
    const shapes = await _matchTables(source, target);
    const occupied = await target.occupied();
    if (occupied.length > 0) {
      const what = occupied.map((found) => `${found.table}: ${found.rows.toLocaleString("en-US")} row(s)`).join(", ");
      throw new StoreCopyError(`${target.label} is not empty (${what}): a copy goes only into an empty store, so nothing is mixed into or written over what is there; copy into a new database (createdb) or a new file`);
    }
    onStart?.();
    const tables: TableCopied[] = [];
    let journal: JournalHead = { rows: 0 };
    for (const table of COPIED_TABLES) {
      const shape = shapes.get(table.name)!;
      const of = await source.count(table.name);
      const tableStarted = clock();
      let rows = 0;
      for await (const page of source.pages(shape, table.key, pageRows)) {
        if (signal?.aborted) throw new StoreCopyError(`the copy was interrupted: ${target.label} was left as it was`);
        const checked = page.map((row) => _checkRow(row, shape, table));
        await target.insert(shape, checked);
        rows += checked.length;
        if (table.name === "journal") journal = _journalHead(shape, checked, rows);
        onProgress?.(table.name, rows, of);
      }
      const copied = { table: table.name, rows, ms: clock() - tableStarted };
      tables.push(copied);
      onTable?.(copied);
    }
    const verdict = await target.finish(journal);
    if (!verdict.ok) {
      throw new StoreCopyError(
        `the journal copied to ${target.label} does not verify at seq ${verdict.seq} (${verdict.reason}), so nothing was kept there; run \`vigil log verify\` on the source: if it fails there too, its chain was broken before the copy`,
      );
    }
    if (!journalMatches(verdict, journal)) {
      throw new StoreCopyError(`the journal copied to ${target.label} ends at seq ${verdict.headSeq} after ${verdict.rows} row(s), not where the source's does (seq ${journal.last?.seq ?? 0} after ${journal.rows}), so nothing was kept there`);
    }
    return { tables, rows: tables.reduce((sum, table) => sum + table.rows, 0), ms: clock() - started, journal, notes: target.notes };
  } catch (error) {
    await target.abort();
    throw error;
  }
}

/** Both ends hold the tables a copy knows (and no other), each with the same columns; keyed by name, in the target's column order. */
async function _matchTables(source: CopySource, target: CopyTarget): Promise<Map<string, TableShape>> {
  const [from, to] = [await source.tables(), await target.tables()];
  _checkKnown(from, source.label);
  _checkKnown(to, target.label);
  const shapes = new Map<string, TableShape>();
  for (const { name } of COPIED_TABLES) {
    const [ours, theirs] = [from.find((table) => table.name === name), to.find((table) => table.name === name)];
    if (!ours || !theirs) throw new StoreCopyError(`${(ours ? target : source).label} has no ${name} table: both ends must be this Vigil's schema (run \`vigil store migrate\` on it)`);
    const describe = (table: TableShape) => table.columns.map((column) => `${column.name} ${column.kind}`).sort().join(", ");
    if (describe(ours) !== describe(theirs)) {
      throw new StoreCopyError(`the ${name} table differs between the two ends (${source.label}: ${describe(ours)}; ${target.label}: ${describe(theirs)}): both must be this Vigil's schema`);
    }
    shapes.set(name, theirs);
  }
  return shapes;
}

function _checkKnown(tables: readonly TableShape[], label: string): void {
  const known = new Set([...COPIED_TABLES.map((table) => table.name), ...DERIVED_TABLES]);
  const unknown = tables.map((table) => table.name).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new StoreCopyError(`${label} has table(s) this Vigil does not know how to copy (${unknown.join(", ")}): it may be a newer Vigil's store; copy it with that Vigil`);
  }
}

function _checkRow(row: readonly unknown[], shape: TableShape, table: StoreTable): Array<bigint | string | null> {
  return row.map((value, i) => checkCopyValue(value, shape.columns[i]!.kind, () => `${table.name}.${shape.columns[i]!.name} of the row with ${_describeKey(row, shape, table)}`));
}

function _describeKey(row: readonly unknown[], shape: TableShape, table: StoreTable): string {
  return table.key.map((column) => `${column} ${String(row[shape.columns.findIndex((candidate) => candidate.name === column)])}`).join(", ");
}

function _journalHead(shape: TableShape, rows: ReadonlyArray<ReadonlyArray<bigint | string | null>>, copied: number): JournalHead {
  const last = rows.at(-1)!;
  const seq = last[shape.columns.findIndex((column) => column.name === "seq")];
  const hash = last[shape.columns.findIndex((column) => column.name === "hash")];
  return { rows: copied, last: { seq: Number(seq), hash: String(hash) } };
}
