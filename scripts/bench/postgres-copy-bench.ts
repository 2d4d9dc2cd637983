import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MIGRATIONS } from "../../daemon/context/migrations.js";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { copyStore } from "../../daemon/store/copy/copy-store.js";
import type { CopySource, CopyTarget } from "../../daemon/store/copy/copy-sides.js";
import { openPostgresCopySource } from "../../daemon/store/copy/open-postgres-copy-source.js";
import { openPostgresCopyTarget } from "../../daemon/store/copy/open-postgres-copy-target.js";
import { openSqliteCopySource } from "../../daemon/store/copy/open-sqlite-copy-source.js";
import { openSqliteCopyTarget } from "../../daemon/store/copy/open-sqlite-copy-target.js";
import { openDatabase } from "../../daemon/store/open-database.js";
import { createJournal } from "../../logs/journal.js";
import { verifyChain } from "../../logs/verify-chain.js";
import type { PostgresCluster } from "../../test/support/postgres-cluster.js";
import { benchJournalInput } from "./postgres-bench-input.js";
import { measure, type BenchFigure } from "./measure.js";

const RUNS = 3;
const ROWS = 100_000;
const BATCH = 1000;

/**
 * `vigil store copy` of a home whose journal holds 100,000 rows, each way: SQLite into a fresh
 * PostgreSQL database, and that database back into a new SQLite file. Timed from opening the
 * target (its migration included) to the commit, so the verification on the target counts.
 */
export async function benchPostgresCopy(cluster: PostgresCluster): Promise<BenchFigure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-copy-bench-"));
  try {
    const home = path.join(dir, "vigil.db");
    _seed(home, dir);
    let filled = "";
    const into = await measure(`store copy: SQLite → PostgreSQL, ${ROWS.toLocaleString("en-US")} journal rows`, "rows/s", RUNS, async () => {
      filled = await cluster.createDatabase();
      return _copy(() => openSqliteCopySource(home, MIGRATIONS), () => openPostgresCopyTarget(filled));
    });
    let run = 0;
    const back = await measure(`store copy: PostgreSQL → SQLite, ${ROWS.toLocaleString("en-US")} journal rows`, "rows/s", RUNS, () =>
      _copy(() => openPostgresCopySource(filled), () => openSqliteCopyTarget({ file: path.join(dir, `back-${++run}.db`), migrations: MIGRATIONS, verify: verifyChain })),
    );
    return [into, back];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function _seed(file: string, dir: string): void {
  const db = openDatabase(file, MIGRATIONS);
  const journal = createJournal({ db, timeZone: "UTC", redact: createRedactor(["not-a-real-secret"]), logsDir: path.join(dir, "logs") });
  for (let i = 0; i < ROWS; i += BATCH) journal.appendMany(Array.from({ length: BATCH }, (_, j) => benchJournalInput(i + j)));
  db.close();
}

async function _copy(openSource: () => CopySource | Promise<CopySource>, openTarget: () => CopyTarget | Promise<CopyTarget>): Promise<number> {
  const source = await openSource();
  try {
    const started = performance.now();
    const report = await copyStore({ source, target: await openTarget() });
    if (report.journal.rows !== ROWS) throw new Error(`copy bench: ${report.journal.rows} journal rows copied, not ${ROWS}`);
    return report.rows / ((performance.now() - started) / 1000);
  } finally {
    await source.close();
  }
}
