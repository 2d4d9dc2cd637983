import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { withServiceEnv } from "../../config/service-env.js";
import { MIGRATIONS } from "../../context/migrations.js";
import { acquireInstanceLock, LockHeldError } from "../../locks/instance-lock.js";
import { readProcessStart } from "../../locks/process-identity.js";
import { resolvePaths } from "../../paths/resolve-paths.js";
import { describeEndpoint, type StoreEndpoint } from "../../store/copy/copy-endpoint.js";
import type { CopyTarget } from "../../store/copy/copy-sides.js";
import { copyStore, type CopyReport } from "../../store/copy/copy-store.js";
import { openPostgresCopySource } from "../../store/copy/open-postgres-copy-source.js";
import { openPostgresCopyTarget } from "../../store/copy/open-postgres-copy-target.js";
import { openSqliteCopySource } from "../../store/copy/open-sqlite-copy-source.js";
import { openSqliteCopyTarget } from "../../store/copy/open-sqlite-copy-target.js";
import { StoreCopyError } from "../../store/copy/store-copy-error.js";
import { openDatabase, openReadonlyDatabase } from "../../store/open-database.js";
import { migratePostgres, type MigrationOutcome } from "../../store/postgres/migrate-postgres.js";
import { openPostgresPool, PostgresConnectionError } from "../../store/postgres/open-postgres-pool.js";
import { VERSION } from "../../version.js";
import { verifyChain } from "../../../logs/verify-chain.js";
import { reportStoreErrors } from "../report-store-errors.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { describeUrlOrigin, namingUrlOrigin, parseStoreEndpoint } from "../parse-store-endpoint.js";

/** How often a long copy says how far it is (on stderr). */
const PROGRESS_EVERY_MS = 2000;

interface CopyOptions {
  to: string;
  from?: string;
}

export function registerStoreCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const store = program.command("store").description("the store under Vigil: its schema, and moving a home between SQLite and PostgreSQL");
  store
    .command("migrate")
    .description("bring a store's schema up to this Vigil's: PostgreSQL at --url (default $VIGIL_DATABASE_URL), else this home's vigil.db")
    .option("--url <url>", "postgres://USER:PASSWORD@HOST:PORT/DATABASE, or env:NAME to read it from a variable (default: env:VIGIL_DATABASE_URL)")
    .action(async (options: { url?: string }) => setExit(await reportStoreErrors(io, () => runStoreMigrate(io, options), [StoreCopyError])));
  store
    .command("copy")
    .description("copy a whole store into an empty one: this home's SQLite into PostgreSQL, or PostgreSQL into a new FILE.db")
    .requiredOption("--to <target>", "an empty PostgreSQL database (postgres://… or env:NAME) or a new SQLite FILE.db")
    .option("--from <source>", "the store to copy (postgres://…, env:NAME or FILE.db; default: this home's vigil.db)")
    .action(async (options: CopyOptions) => setExit(await reportStoreErrors(io, () => runStoreCopy(io, options), [StoreCopyError])));
}

/** `vigil store migrate`: PostgreSQL when a URL is given (or VIGIL_DATABASE_URL is set), else this home's SQLite file. */
export async function runStoreMigrate(io: CliIo, options: { url?: string }): Promise<number> {
  const paths = resolvePaths(io.env);
  const env = withServiceEnv(io.env, paths.home);
  const given = options.url ?? (env.VIGIL_DATABASE_URL ? "env:VIGIL_DATABASE_URL" : undefined);
  if (given === undefined) {
    const from = existsSync(paths.database) ? _userVersion(paths.database) : 0;
    const db = openDatabase(paths.database, MIGRATIONS);
    const to = db.pragma("user_version", { simple: true }) as number;
    db.close();
    writeLine(io.stdout, `SQLite ${paths.database}: schema version ${from} → ${to}${from === to ? " (up to date)" : ""}`);
    return EXIT.ok;
  }
  const endpoint = parseStoreEndpoint(given, "--url", env);
  if (endpoint.engine !== "postgres") throw new UsageError("--url takes a postgres:// URL (this home's SQLite file migrates without --url)");
  const pool = await _naming(describeUrlOrigin(given, "--url"), () => openPostgresPool({ url: endpoint.url, max: 1 }));
  try {
    const { from, to } = await migratePostgres(pool);
    writeLine(io.stdout, `${describeEndpoint(endpoint)}: schema version ${from} → ${to}${from === to ? " (up to date)" : ""}`);
    return EXIT.ok;
  } finally {
    await pool.end();
  }
}

/** `vigil store copy`: a whole store into an empty one, verified there before it is kept. */
export async function runStoreCopy(io: CliIo, options: CopyOptions): Promise<number> {
  const paths = resolvePaths(io.env);
  const env = withServiceEnv(io.env, paths.home);
  const to = parseStoreEndpoint(options.to, "--to", env);
  const from: StoreEndpoint = options.from === undefined ? { engine: "sqlite", file: paths.database } : parseStoreEndpoint(options.from, "--from", env);
  if (from.engine === "sqlite" && !existsSync(from.file)) throw new StoreCopyError(`there is no store at ${from.file} to copy${options.from ? "" : " (this home has none yet)"}`);
  // The daemon writes this home's store: a copy taken while it runs would miss what it writes after.
  const lock = from.engine === "sqlite" && from.file === paths.database ? _lockHome(paths.lockFile, io.now()) : undefined;
  const stop = _abortOnStopSignal();
  try {
    const source = from.engine === "sqlite" ? openSqliteCopySource(from.file, MIGRATIONS) : await _naming(describeUrlOrigin(options.from!, "--from"), () => openPostgresCopySource(from.url));
    try {
      const { target, migrated } = await _naming(describeUrlOrigin(options.to, "--to"), () => _openTarget(to));
      const report = await copyStore({
        source,
        target,
        signal: stop.signal,
        onStart: () => writeLine(io.stdout, `copying ${source.label} → ${target.label}${migrated ? ` (schema version ${migrated.from} → ${migrated.to})` : ""}`),
        onTable: (copied) => writeLine(io.stdout, `  ${copied.table.padEnd(20)} ${copied.rows.toLocaleString("en-US").padStart(12)} row(s)`),
        onProgress: _progress(io),
      });
      _summarize(io, report, target.label);
      return EXIT.ok;
    } finally {
      await source.close();
    }
  } finally {
    stop.release();
    lock?.release();
  }
}

async function _openTarget(to: StoreEndpoint): Promise<{ target: CopyTarget; migrated?: MigrationOutcome }> {
  if (to.engine === "sqlite") return { target: openSqliteCopyTarget({ file: to.file, migrations: MIGRATIONS, verify: verifyChain }) };
  const target = await openPostgresCopyTarget(to.url);
  return { target, migrated: target.migrated };
}

function _lockHome(lockFile: string, now: Date): { release(): void } {
  try {
    return acquireInstanceLock(lockFile, { pid: process.pid, startedAt: now.toISOString(), version: VERSION, procStart: readProcessStart(process.pid) });
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    throw new StoreCopyError(
      `vigil start is running on this home (pid ${error.holder.pid}, since ${error.holder.startedAt}): stop it first (vigil stop), then copy — a copy taken while the daemon writes would miss what it writes after`,
    );
  }
}

function _summarize(io: CliIo, report: CopyReport, label: string): void {
  const journal = report.tables.find((table) => table.table === "journal")!;
  const rate = (rows: number, ms: number) => (ms > 0 ? Math.round(rows / (ms / 1000)) : rows).toLocaleString("en-US");
  for (const note of report.notes) writeLine(io.stderr, `note: ${note}`);
  writeLine(io.stdout, `copied ${report.rows.toLocaleString("en-US")} row(s) in ${(report.ms / 1000).toFixed(1)} s (${rate(report.rows, report.ms)} rows/s; the journal ${rate(journal.rows, journal.ms)} rows/s)`);
  const head = report.journal.last ? `, head seq ${report.journal.last.seq}, hash ${report.journal.last.hash.slice(0, 16)}…` : "";
  writeLine(io.stdout, `the journal verifies on ${label}: ${report.journal.rows.toLocaleString("en-US")} row(s)${head}; its recall index was rebuilt`);
}

function _progress(io: CliIo): (table: string, rows: number, of: number) => void {
  let last = performance.now();
  return (table, rows, of) => {
    if (performance.now() - last < PROGRESS_EVERY_MS) return;
    last = performance.now();
    writeLine(io.stderr, `  … ${table}: ${rows.toLocaleString("en-US")} of ${of.toLocaleString("en-US")} row(s)`);
  };
}

/**
 * SIGINT or SIGTERM (`vigil stop` signals the lock's holder) stops the copy cleanly after the
 * batch it is on: the target is left as it was. A second signal ends the process at once.
 */
function _abortOnStopSignal(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const release = () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  };
  const stop = () => {
    controller.abort();
    release();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return { signal: controller.signal, release };
}

function _userVersion(file: string): number {
  const db = openReadonlyDatabase(file);
  try {
    return db.pragma("user_version", { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** A connection failure names where its URL came from (`--to`, VIGIL_DATABASE_URL, …), not the config key. */
async function _naming<T>(origin: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PostgresConnectionError) throw new PostgresConnectionError(namingUrlOrigin(error.message, origin), error.code);
    throw error;
  }
}
