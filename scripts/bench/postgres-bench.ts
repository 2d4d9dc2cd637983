import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { createPostgresJournal } from "../../daemon/store/postgres/create-postgres-journal.js";
import { migratePostgres } from "../../daemon/store/postgres/migrate-postgres.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import { verifyPostgresChain } from "../../daemon/store/postgres/verify-postgres-chain.js";
import { startPostgresCluster, type PostgresCluster } from "../../test/support/postgres-cluster.js";
import { benchJournalInput } from "./postgres-bench-input.js";
import { benchPostgresCopy } from "./postgres-copy-bench.js";
import { measure, type BenchFigure } from "./measure.js";

const WORKER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "postgres-append-worker.js");
const RUNS = 3;
const WRITERS = 3;

/** Rows each writer appends, by batch size (by mode for intake): a few seconds of work each. */
const ROWS = { 1: 1500, 100: 15_000 } as const;
const NOTICED = 3000;
/** Transactions a node runs at once in the intake bench: deliveries arriving on several connections. */
const NOTICE_CONCURRENCY = 8;

/**
 * Journal appends on PostgreSQL (a throwaway cluster on 127.0.0.1 with its default durability:
 * fsync and synchronous commit on), each batch one journal_append statement and one commit, by
 * one writer and by three writer processes at once (three nodes on one store); intake through the
 * store port (an event and its journal row per transaction, eight at once per node), by one node
 * and by three; and
 * `vigil store copy` each way (postgres-copy-bench.ts).
 */
export async function benchPostgres(): Promise<BenchFigure[]> {
  const cluster = await startPostgresCluster({ durable: true });
  try {
    const figures: BenchFigure[] = [];
    for (const batch of [1, 100] as const) {
      figures.push(await measure(`postgres journal: 1 writer, ${batch} per append`, "rows/s", RUNS, () => _oneWriter(cluster, batch)));
      figures.push(await measure(`postgres journal: ${WRITERS} writer processes, ${batch} per append`, "rows/s", RUNS, () => _writerProcesses(cluster, batch, WRITERS, "journal")));
    }
    figures.push(await measure(`postgres intake through the store port: 1 node, ${NOTICE_CONCURRENCY} transactions at once (event + journal row each)`, "events/s", RUNS, () => _writerProcesses(cluster, NOTICE_CONCURRENCY, 1, "notice")));
    figures.push(await measure(`postgres intake through the store port: ${WRITERS} node processes, ${NOTICE_CONCURRENCY} transactions at once each`, "events/s", RUNS, () => _writerProcesses(cluster, NOTICE_CONCURRENCY, WRITERS, "notice")));
    figures.push(...(await benchPostgresCopy(cluster)));
    return figures;
  } finally {
    await cluster.stop();
  }
}

async function _migratedDatabase(cluster: PostgresCluster): Promise<string> {
  const url = await cluster.createDatabase();
  const owner = await openPostgresPool({ url, max: 1 });
  await migratePostgres(owner);
  await owner.end();
  return url;
}

async function _oneWriter(cluster: PostgresCluster, batch: 1 | 100): Promise<number> {
  const url = await _migratedDatabase(cluster);
  const pool = await openPostgresPool({ url, role: POSTGRES_RUNTIME_ROLE, max: 1 });
  const journal = createPostgresJournal({ pool, timeZone: "UTC", redact: createRedactor(["not-a-real-secret"]) });
  const rows = ROWS[batch];
  const started = process.hrtime.bigint();
  for (let i = 0; i < rows; i += batch) await journal.appendMany(Array.from({ length: batch }, (_, j) => benchJournalInput(i + j)));
  const rate = rows / (Number(process.hrtime.bigint() - started) / 1e9);
  await _assertChain(pool, rows);
  await pool.end();
  return rate;
}

/** Forked writer nodes, connected first; the clock runs from "go" to the last one's "done". */
async function _writerProcesses(cluster: PostgresCluster, batch: number, writers: number, mode: "journal" | "notice"): Promise<number> {
  const url = await _migratedDatabase(cluster);
  const rows = mode === "notice" ? NOTICED : ROWS[batch as 1 | 100];
  const workers = Array.from({ length: writers }, () => fork(WORKER, [String(rows), String(batch), mode], { env: { ...process.env, VIGIL_DATABASE_URL: url } }));
  const exited = workers.map((worker) => new Promise<number | null>((resolve) => worker.once("exit", resolve)));
  await Promise.all(workers.map((worker) => new Promise((resolve, reject) => (worker.once("message", resolve), worker.once("exit", () => reject(new Error("a bench writer exited before it was ready")))))));
  const started = process.hrtime.bigint();
  const done = workers.map((worker) => new Promise((resolve) => worker.once("message", resolve)));
  for (const worker of workers) worker.send("go");
  await Promise.all(done);
  const rate = (writers * rows) / (Number(process.hrtime.bigint() - started) / 1e9);
  if ((await Promise.all(exited)).some((code) => code !== 0)) throw new Error("a bench writer failed");
  const pool = await openPostgresPool({ url, max: 1 });
  await _assertChain(pool, writers * rows);
  if (mode === "notice") await _assertEvents(pool, writers * rows);
  await pool.end();
  return rate;
}

/** Every event the intake bench timed is queued once. */
async function _assertEvents(pool: Parameters<typeof verifyPostgresChain>[0], events: number): Promise<void> {
  const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM vigil.events");
  if (Number(rows[0]!.n) !== events) throw new Error(`postgres bench: ${rows[0]!.n} events queued, expected ${events}`);
}

/** A figure counts only if the rows it timed form one chain that verifies. */
async function _assertChain(pool: Parameters<typeof verifyPostgresChain>[0], rows: number): Promise<void> {
  const verdict = await verifyPostgresChain(pool);
  if (!verdict.ok || verdict.rows !== rows) throw new Error(`postgres bench: the chain does not verify: ${JSON.stringify(verdict)}`);
}
