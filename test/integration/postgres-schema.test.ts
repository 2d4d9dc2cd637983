import path from "node:path";
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../daemon/context/migrations.js";
import { COPIED_TABLES, DERIVED_TABLES } from "../../daemon/store/copy/store-tables.js";
import { openDatabase, type VigilDatabase } from "../../daemon/store/open-database.js";
import { migratePostgres } from "../../daemon/store/postgres/migrate-postgres.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import { checkPostgresTools, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster.js";
import { makeTempHome } from "../support/temp-home.js";

const gate = checkPostgresTools();
/** FTS5's own tables behind `recall`, which PostgreSQL has no need of. */
const FTS_SHADOWS = ["recall_config", "recall_content", "recall_data", "recall_docsize", "recall_idx"];
/**
 * What only PostgreSQL has: the coordination of several nodes on one store (nodes, leases, and the
 * index claims find a partition's pending events by), which a single SQLite daemon has no need of.
 */
const COORDINATION_TABLES = ["leases", "nodes"];
const COORDINATION_INDEXES = ["events_pending_by_partition"];
/** The keys SQLite numbers itself (a rowid alias given no value on insert): an identity in PostgreSQL. */
const NUMBERED_KEYS = ["approvals.id", "events.id", "memory_versions.version", "tasks.id", "wakeups.id"];

/**
 * What the runtime role may do to each table: what the code does (read it before changing this).
 * The journal only grows; deletes are a consumed login token and a cleared value (daemon_state),
 * a forgotten magic doc, and retention (transcripts, their recall entries, old memory versions).
 */
const RUNTIME_PRIVILEGES: Record<string, string[]> = {
  journal: ["SELECT", "INSERT"],
  events: ["SELECT", "INSERT", "UPDATE"],
  daemon_state: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  usage: ["SELECT", "INSERT", "UPDATE"],
  actions: ["SELECT", "INSERT", "UPDATE"],
  wakeups: ["SELECT", "INSERT", "UPDATE"],
  turns: ["SELECT", "INSERT", "UPDATE"],
  subscriptions: ["SELECT", "INSERT", "UPDATE"],
  pr_heads: ["SELECT", "INSERT", "UPDATE"],
  webhook_deliveries: ["SELECT", "INSERT"],
  poll_cache: ["SELECT", "INSERT", "UPDATE"],
  approvals: ["SELECT", "INSERT", "UPDATE"],
  transcripts: ["SELECT", "INSERT", "DELETE"],
  recall: ["SELECT", "INSERT", "DELETE"],
  recall_progress: ["SELECT", "UPDATE"],
  memory_versions: ["SELECT", "INSERT", "DELETE"],
  magic_docs: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  tasks: ["SELECT", "INSERT", "UPDATE"],
  task_patches: ["SELECT", "INSERT"],
  nodes: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  leases: ["SELECT", "INSERT", "UPDATE"],
  schema_version: ["SELECT"],
};

interface ColumnFacts {
  name: string;
  type: "integer" | "text";
  notNull: boolean;
  default: string | null;
}

interface TableFacts {
  columns: ColumnFacts[];
  primaryKey: string[];
  unique: string[];
  indexes: string[];
  checks: string[];
}

function sqliteFacts(db: VigilDatabase, table: string): TableFacts {
  const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>;
  const indexes = db.prepare(`PRAGMA index_list("${table}")`).all() as Array<{ name: string; unique: number; origin: string }>;
  const indexColumns = (name: string) => (db.prepare(`PRAGMA index_info("${name}")`).all() as Array<{ name: string }>).map((column) => column.name).join(", ");
  const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(table) as string;
  const checks = [
    ...[...sql.matchAll(/CHECK \((\w+) IN \(([^)]*)\)\)/g)].map(([, column, values]) => `${column} IN ${values!.split(", ").map((value) => value.slice(1, -1)).join("|")}`),
    ...[...sql.matchAll(/CHECK \((\w+) = (\d+)\)/g)].map(([, column, value]) => `${column} = ${value}`),
  ];
  return {
    columns: columns.map((column) => ({ name: column.name, type: column.type === "INTEGER" ? "integer" : "text", notNull: column.notnull === 1 || column.pk > 0, default: column.dflt_value })),
    primaryKey: columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name),
    unique: indexes.filter((index) => index.origin === "u").map((index) => indexColumns(index.name)),
    indexes: indexes.filter((index) => index.origin === "c").map((index) => `${index.name} (${indexColumns(index.name)})`).sort(),
    checks: checks.sort(),
  };
}

async function postgresFacts(pool: Pool, table: string): Promise<TableFacts & { identity: string[] }> {
  const columns = (
    await pool.query<{ column_name: string; udt_name: string; is_nullable: string; column_default: string | null; is_identity: string }>(
      "SELECT column_name, udt_name, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_schema = 'vigil' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position",
      [table],
    )
  ).rows;
  const constraints = (
    await pool.query<{ contype: string; columns: string; definition: string }>(
      `SELECT c.contype, pg_get_constraintdef(c.oid) AS definition,
              (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns
         FROM pg_constraint c WHERE c.conrelid = ('vigil.' || $1)::regclass`,
      [table],
    )
  ).rows;
  const indexes = (
    await pool.query<{ name: string; columns: string }>(
      `SELECT i.relname AS name, (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) AS columns
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = ('vigil.' || $1)::regclass AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid) AND i.relname <> ALL ($2::text[])`,
      [table, COORDINATION_INDEXES],
    )
  ).rows;
  return {
    columns: columns.map((column) => ({
      name: column.column_name,
      type: column.udt_name === "int8" ? "integer" : (column.udt_name as "text"),
      notNull: column.is_nullable === "NO",
      default: column.column_default?.replace(/::(text|bigint)$/, "") ?? null,
    })),
    identity: columns.filter((column) => column.is_identity === "YES").map((column) => `${table}.${column.column_name}`),
    primaryKey: constraints.find((constraint) => constraint.contype === "p")?.columns.split(", ") ?? [],
    unique: constraints.filter((constraint) => constraint.contype === "u").map((constraint) => constraint.columns),
    indexes: indexes.map((index) => `${index.name} (${index.columns})`).sort(),
    checks: constraints
      .filter((constraint) => constraint.contype === "c")
      .map(({ definition }) => {
        const list = /^CHECK \(\((\w+) = ANY \(ARRAY\[(.*)\]\)\)\)$/.exec(definition);
        if (list) return `${list[1]} IN ${list[2]!.split(", ").map((value) => value.replace(/^'(.*)'::text$/, "$1")).join("|")}`;
        const equal = /^CHECK \(\((\w+) = (\d+)\)\)$/.exec(definition);
        return equal ? `${equal[1]} = ${equal[2]}` : definition;
      })
      .sort(),
  };
}

describe.skipIf(gate.skip)(gate.title("the PostgreSQL schema beside SQLite's"), () => {
  let cluster: PostgresCluster;
  let owner: Pool;
  let runtime: Pool;
  let sqlite: VigilDatabase;

  beforeAll(async () => {
    gate.assertPresent();
    cluster = await startPostgresCluster();
    const url = await cluster.createDatabase();
    owner = await openPostgresPool({ url, max: 2 });
    await migratePostgres(owner);
    runtime = await openPostgresPool({ url, role: POSTGRES_RUNTIME_ROLE, max: 2 });
    sqlite = openDatabase(path.join(makeTempHome(), "vigil.db"), MIGRATIONS);
  });
  afterAll(async () => {
    sqlite?.close();
    await Promise.all([owner?.end(), runtime?.end()]);
    await cluster?.stop();
  });

  it("has every table SQLite has, and store copy knows each of them", async () => {
    const sqliteTables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter((name) => !FTS_SHADOWS.includes(name));
    const postgresTables = (await owner.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'vigil' AND table_type = 'BASE TABLE' ORDER BY table_name")).rows
      .map((row) => row.table_name)
      .filter((name) => name !== "schema_version" && !COORDINATION_TABLES.includes(name));
    expect(postgresTables).toEqual(sqliteTables);
    expect([...COPIED_TABLES.map((table) => table.name), ...DERIVED_TABLES].sort()).toEqual(sqliteTables);
  });

  it.each(COPIED_TABLES.map((table) => table.name))("%s: the same columns in the same order, keys, unique constraints, indexes and CHECKs", async (table) => {
    const { identity, ...postgres } = await postgresFacts(owner, table);
    const expected = sqliteFacts(sqlite, table);
    // An identity column has no default expression; SQLite's rowid alias has none either.
    expect(postgres).toEqual(expected);
    expect(identity).toEqual(NUMBERED_KEYS.filter((key) => key.startsWith(`${table}.`)));
  });

  it("the runtime role may do to each table what the code does, and nothing more", async () => {
    const tables = Object.keys(RUNTIME_PRIVILEGES);
    const { rows } = await owner.query<{ table_name: string; privilege: string }>(
      `SELECT t AS table_name, p AS privilege FROM unnest($1::text[]) AS t, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
        WHERE has_table_privilege($2, 'vigil.' || t, p)`,
      [tables, POSTGRES_RUNTIME_ROLE],
    );
    const granted = Object.fromEntries(tables.map((table) => [table, rows.filter((row) => row.table_name === table).map((row) => row.privilege)]));
    expect(granted).toEqual(RUNTIME_PRIVILEGES);
  });

  it("the runtime's upserts find their conflict targets, and numbered keys number themselves", async () => {
    await runtime.query("INSERT INTO vigil.usage (day, model, calls, input) VALUES ('2026-05-01', 'm', 1, 10) ON CONFLICT (day, model) DO UPDATE SET calls = usage.calls + excluded.calls, input = usage.input + excluded.input");
    await runtime.query("INSERT INTO vigil.usage (day, model, calls, input) VALUES ('2026-05-01', 'm', 1, 5) ON CONFLICT (day, model) DO UPDATE SET calls = usage.calls + excluded.calls, input = usage.input + excluded.input");
    expect((await runtime.query("SELECT calls::int, input::int FROM vigil.usage")).rows).toEqual([{ calls: 2, input: 15 }]);
    const enqueue = "INSERT INTO vigil.events (source, type, dedupe_key, trust, summary, payload, received_at) VALUES ('github', 'push', 'delivery-1', 'untrusted', 's', '{}', 'now') ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";
    expect((await runtime.query(enqueue)).rows).toEqual([{ id: "1" }]);
    expect((await runtime.query(enqueue)).rows).toEqual([]);
    await runtime.query("INSERT INTO vigil.webhook_deliveries (id, event, received_at) VALUES ('d-1', 'push', 'now') ON CONFLICT (id) DO NOTHING");
    await runtime.query("INSERT INTO vigil.daemon_state (key, value) VALUES ('k', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    await expect(runtime.query("DELETE FROM vigil.events")).rejects.toMatchObject({ code: "42501" });
    await expect(runtime.query("UPDATE vigil.journal SET summary = 'x'")).rejects.toMatchObject({ code: "42501" });
    await expect(runtime.query("INSERT INTO vigil.events (source, type, dedupe_key, trust, summary, payload, received_at) VALUES ('x', 'y', 'z', 'maybe', 's', '{}', 'now')")).rejects.toMatchObject({ code: "23514" });
  });

  it("a transcript reaches the recall index by trigger, and its words are searched as FTS5 searched them: stemmed, stop words kept", async () => {
    await runtime.query("INSERT INTO vigil.transcripts (turn_id, ts, day, body) VALUES ('turn-1', 'now', '2026-05-01', 'The tests were running, and not the build') ON CONFLICT DO NOTHING");
    const search = (query: string) => runtime.query<{ ref: string }>("SELECT ref FROM vigil.recall WHERE words @@ to_tsquery('vigil.recall_words', $1)", [query]);
    expect((await search("run & test")).rows).toEqual([{ ref: "turn-1" }]);
    expect((await search("not & the")).rows).toEqual([{ ref: "turn-1" }]);
    expect((await runtime.query("SELECT source, day FROM vigil.recall")).rows).toEqual([{ source: "transcript", day: "2026-05-01" }]);
  });
});
