import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { openDatabase } from "../../daemon/store/open-database.js";
import { MIGRATIONS } from "../../daemon/context/migrations.js";
import { createJournal, type JournalInput } from "../../logs/journal.js";
import { queryEntries } from "../../logs/query-entries.js";
import { verifyChain, verifyChainInParallel, type ChainVerdict } from "../../logs/verify-chain.js";
import { indexJournal } from "../../memory/index-journal.js";
import { searchRecall } from "../../memory/search-recall.js";
import { measure, type BenchFigure } from "./measure.js";

const ROWS = 1_000_000;
const ROWS_PER_DAY = 10_000;

function _entry(i: number): JournalInput {
  return { kind: "noticed", summary: `file changed: src/module-${i % 500}.ts`, data: { path: `src/module-${i % 500}.ts`, size: i % 4096 } };
}

function _tempJournal(options: { markdown: boolean; now?: () => Date }) {
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  const db = openDatabase(path.join(home, "vigil.db"), MIGRATIONS);
  const journal = createJournal({ db, timeZone: "UTC", redact: createRedactor(["not-a-real-secret"]), now: options.now, logsDir: options.markdown ? path.join(home, "logs") : undefined });
  return { db, journal, dispose: () => (db.close(), rmSync(home, { recursive: true, force: true })) };
}

function _seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Journal appends (one per transaction, and batched), verify and day listing over 1,000,000 rows. */
export async function benchJournal(): Promise<BenchFigure[]> {
  const single = await measure("journal: single appends (fsync each, with Markdown)", "appends/s", 5, () => {
    const { journal, dispose } = _tempJournal({ markdown: true });
    const start = process.hrtime.bigint();
    for (let i = 0; i < 2000; i++) journal.append(_entry(i));
    const rate = 2000 / _seconds(start);
    dispose();
    return rate;
  });
  const batchedBy = (size: number) =>
    measure(`journal: batched appends (${size.toLocaleString("en-US")} per transaction, with Markdown)`, "appends/s", 5, () => {
      const { journal, dispose } = _tempJournal({ markdown: true });
      const start = process.hrtime.bigint();
      for (let batch = 0; batch < 20_000 / size; batch++) journal.appendMany(Array.from({ length: size }, (_, i) => _entry(batch * size + i)));
      const rate = 20_000 / _seconds(start);
      dispose();
      return rate;
    });
  const batched = await batchedBy(100);
  const batchedLarge = await batchedBy(1000);

  // One million rows over 100 days: the clock advances a day every ROWS_PER_DAY appends.
  let appended = 0;
  const dayZero = Date.parse("2026-01-01T00:00:00Z");
  const big = _tempJournal({ markdown: false, now: () => new Date(dayZero + Math.floor(appended++ / ROWS_PER_DAY) * 86_400_000) });
  for (let i = 0; i < ROWS; i += 10_000) big.journal.appendMany(Array.from({ length: 10_000 }, (_, j) => _entry(i + j)));

  const verifyWith = (label: string, run: () => Promise<ChainVerdict>) =>
    measure(`journal: verify ${ROWS.toLocaleString("en-US")} rows, ${label}`, "s", 3, async () => {
      const start = process.hrtime.bigint();
      const verdict = await run();
      if (!verdict.ok || verdict.rows !== ROWS) throw new Error(`verify failed: ${JSON.stringify(verdict)}`);
      return _seconds(start);
    });
  const verifyOne = await verifyWith("one thread", async () => verifyChain(big.db));
  const verify = await verifyWith(`vigil log verify (${availableParallelism()} worker threads)`, () => verifyChainInParallel(big.db));
  const listDay = await measure(`journal: list one day (${ROWS_PER_DAY.toLocaleString("en-US")} rows) among ${ROWS.toLocaleString("en-US")}`, "ms", 9, () => {
    const start = process.hrtime.bigint();
    const rows = queryEntries(big.db, { day: "2026-02-15" });
    if (rows.length !== ROWS_PER_DAY) throw new Error(`expected ${ROWS_PER_DAY} rows, got ${rows.length}`);
    return _seconds(start) * 1000;
  });
  const search = (name: string, query: string) =>
    measure(`memory_search among ${ROWS.toLocaleString("en-US")} journal rows: ${name}`, "ms", 9, () => {
      const start = process.hrtime.bigint();
      if (searchRecall(big.db, query).length === 0) throw new Error(`no hits for ${query}`);
      return _seconds(start) * 1000;
    });
  // The index is fed in batches off the append path: the first search after the million appends catches it up.
  const indexStart = process.hrtime.bigint();
  const indexed = indexJournal(big.db);
  const indexRate = indexed / _seconds(indexStart);
  const catchUp: BenchFigure = { name: `memory_search index: catch up ${indexed.toLocaleString("en-US")} journal rows in one batch`, unit: "rows/s", median: indexRate, min: indexRate, max: indexRate, runs: 1 };
  const rare = await search("a word in 0.2% of rows", "module-250");
  const common = await search("words in every row", "file changed");
  big.dispose();
  return [single, batched, batchedLarge, verifyOne, verify, listDay, catchUp, rare, common];
}
