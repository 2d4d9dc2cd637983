import type { Pool, PoolClient } from "pg";
import { checkPostgresHashing } from "../postgres/check-postgres-hashing.js";
import { migratePostgresIn, type MigrationOutcome } from "../postgres/migrate-postgres.js";
import { openPostgresPool } from "../postgres/open-postgres-pool.js";
import { JOURNAL_HEAD_LOCK } from "../postgres/postgres-journal-schema.js";
import { parsePostgresUrl, type PostgresTarget } from "../postgres/postgres-url.js";
import { verifyPostgresChainIn } from "../postgres/verify-postgres-chain.js";
import { asPostgresFailure } from "./as-postgres-failure.js";
import { journalMatches, type CopyTarget, type CopyVerdict, type TableShape } from "./copy-sides.js";
import { readPostgresTables } from "./read-postgres-tables.js";
import { SEEDED_ROWS } from "./store-tables.js";
import { StoreCopyError } from "./store-copy-error.js";

export interface PostgresCopyTarget extends CopyTarget {
  /** The schema versions the target went from and to (migrated inside the copy's transaction). */
  readonly migrated: MigrationOutcome;
}

/** The journal's rows index the way memory/index-journal.ts indexes them, up to where the source had indexed. */
const REBUILD_RECALL = `INSERT INTO vigil.recall (body, source, ref, day)
  SELECT kind || ': ' || summary || ' ' || data, 'journal', seq::text, day FROM vigil.journal
   WHERE seq <= (SELECT journal_seq FROM vigil.recall_progress WHERE id = 1) ORDER BY seq`;

/**
 * A PostgreSQL database as a copy's target, written as the URL's login (its owner, not the runtime
 * role: journal rows go in as they are, seq and hashes included, which the append-only triggers
 * allow — they refuse only UPDATE, DELETE and TRUNCATE). Migrating it, filling it and verifying
 * it are one transaction: a refused or failed copy leaves the database as it was. The chain-head
 * lock is held throughout, so no appender (and no second copy) writes between the check that the
 * target is empty and the commit.
 */
export async function openPostgresCopyTarget(url: string): Promise<PostgresCopyTarget> {
  const target = parsePostgresUrl(url);
  const pool = await openPostgresPool({ url, max: 1 });
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query("BEGIN");
    const migrated = await migratePostgresIn(client);
    await checkPostgresHashing(client);
    await client.query(`SELECT pg_advisory_xact_lock(${JOURNAL_HEAD_LOCK})`);
    return _target(pool, client, target, migrated);
  } catch (error) {
    await _end(pool, client, "ROLLBACK");
    throw asPostgresFailure(error, target);
  }
}

function _target(pool: Pool, client: PoolClient, target: PostgresTarget, migrated: MigrationOutcome): PostgresCopyTarget {
  const nuls = new Map<string, number>();
  const cleared = new Set<string>();
  let ended = false;
  const described = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw asPostgresFailure(error, target);
    }
  };
  const end = async (how: "COMMIT" | "ROLLBACK") => {
    if (ended) return;
    ended = true;
    await _end(pool, client, how);
  };
  return {
    label: `PostgreSQL ${target.label}`,
    migrated,
    get notes() {
      return [...nuls].map(([where, count]) => `${where}: ${count} value(s) held NUL, which PostgreSQL text cannot hold; copied with U+FFFD in its place`);
    },
    tables: () => described(() => readPostgresTables(client)),
    occupied: () => described(() => _occupied(client)),
    insert: (table, rows) =>
      described(async () => {
        if (SEEDED_ROWS[table.name] !== undefined && !cleared.has(table.name)) {
          await client.query(`DELETE FROM vigil."${table.name}"`);
          cleared.add(table.name);
        }
        await _insert(client, table, rows, nuls);
      }),
    finish: (expected) =>
      described(async () => {
        await _moveIdentitiesPast(client);
        await client.query(REBUILD_RECALL);
        const verdict: CopyVerdict = await verifyPostgresChainIn(client);
        await end(journalMatches(verdict, expected) ? "COMMIT" : "ROLLBACK");
        return verdict;
      }),
    abort: () => end("ROLLBACK"),
  };
}

async function _occupied(client: PoolClient): Promise<Array<{ table: string; rows: number }>> {
  const found: Array<{ table: string; rows: number }> = [];
  for (const { name } of await readPostgresTables(client)) {
    const seed = SEEDED_ROWS[name];
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM vigil."${name}"${seed ? ` WHERE ${seed}` : ""}`);
    const count = Number(rows[0]!.n);
    if (count > 0) found.push({ table: name, rows: count });
  }
  return found;
}

/** One statement per batch: one array per column, zipped back into rows by unnest (no limit on parameters, one parse). */
async function _insert(client: PoolClient, table: TableShape, rows: readonly unknown[][], nuls: Map<string, number>): Promise<void> {
  if (rows.length === 0) return;
  const columns = table.columns.map((column, i) => ({ ...column, values: rows.map((row) => _storable(row[i], table, column.name, row, nuls)) }));
  const names = columns.map((column) => `"${column.name}"`).join(", ");
  const arrays = columns.map((column, i) => `$${i + 1}::${column.kind === "integer" ? "bigint" : "text"}[]`).join(", ");
  await client.query(`INSERT INTO vigil."${table.name}" (${names}) SELECT * FROM unnest(${arrays})`, columns.map((column) => column.values));
}

/**
 * A value as pg sends it: bigint as its digits. PostgreSQL text has no NUL: in a journal row that
 * would change what was hashed, so the copy stops; elsewhere it becomes U+FFFD (as logs/storable-text.ts
 * stores a summary's) and the copy says so.
 */
function _storable(value: unknown, table: TableShape, column: string, row: readonly unknown[], nuls: Map<string, number>): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return String(value);
  if (!value.includes("\u0000")) return value;
  if (table.name === "journal") {
    const seq = row[table.columns.findIndex((candidate) => candidate.name === "seq")];
    throw new StoreCopyError(
      `journal row ${String(seq)} holds a NUL character in its ${column}, which PostgreSQL text cannot hold: the row cannot move without changing what its hash covers, so nothing was copied; this journal stays whole on SQLite`,
    );
  }
  const where = `${table.name}.${column}`;
  nuls.set(where, (nuls.get(where) ?? 0) + 1);
  return value.replaceAll("\u0000", "\uFFFD");
}

/** Each identity (a key SQLite numbered) starts past the largest id copied, so the next row numbers on from there. */
async function _moveIdentitiesPast(client: PoolClient): Promise<void> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'vigil' AND is_identity = 'YES' AND identity_generation = 'BY DEFAULT'",
  );
  for (const { table_name: table, column_name: column } of rows) {
    await client.query(`SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('vigil."${table}"', '${column}'), coalesce(max("${column}"), 0) + 1, false) FROM vigil."${table}"`);
  }
}

async function _end(pool: Pool, client: PoolClient | undefined, how: "COMMIT" | "ROLLBACK"): Promise<void> {
  let failed = false;
  try {
    if (client) await client.query(how);
  } catch (error) {
    failed = true;
    if (how === "COMMIT") throw error;
  } finally {
    // A connection whose COMMIT or ROLLBACK failed is not handed back as if it were clean.
    client?.release(failed);
    await pool.end().catch(() => undefined);
  }
}
