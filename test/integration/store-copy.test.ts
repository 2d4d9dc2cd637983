import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../daemon/context/migrations.js";
import { createWakeupStore } from "../../daemon/events/wakeups.js";
import { createSubscriptionStore } from "../../daemon/github/subscriptions.js";
import { createSnapshotStore } from "../../daemon/github/poll/poll-snapshots.js";
import { createApprovalQueue } from "../../daemon/policy/approvals.js";
import { createDaemonState } from "../../daemon/state/daemon-state.js";
import { COPIED_TABLES } from "../../daemon/store/copy/store-tables.js";
import { openDatabase, openReadonlyDatabase, type VigilDatabase } from "../../daemon/store/open-database.js";
import { createTaskStore } from "../../daemon/tasks/task-store.js";
import { hashEntry } from "../../logs/hash-entry.js";
import { JOURNAL_KINDS } from "../../logs/journal-kinds.js";
import { createMagicDocRegistry } from "../../memory/magic-doc-registry.js";
import { createMemoryVersions } from "../../memory/memory-versions.js";
import { searchRecall } from "../../memory/search-recall.js";
import { POSTGRES_MIGRATIONS } from "../../daemon/store/postgres/postgres-migrations.js";
import { startHarness } from "../support/daemon-harness.js";
import { text, toolUse } from "../support/messages-api-server.js";
import { checkPostgresTools, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster.js";
import { cleanEnv, runVigilAsync, spawnVigil, waitFor } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";
import { openTestJournal } from "../support/open-test-journal.js";

const gate = checkPostgresTools();
/** The PostgreSQL schema version a fresh store is migrated to. */
const POSTGRES_LATEST = POSTGRES_MIGRATIONS.at(-1)!.version;

/**
 * Text that breaks careless copying: JSON and SQL quoting, PostgreSQL's array literal syntax (the
 * copy sends columns as arrays), the word NULL, every control character but NUL (which PostgreSQL
 * text cannot hold), line separators, astral characters, right-to-left overrides, markup.
 */
const HOSTILE = [
  `"double" 'single' \`back\` \\ \\\\ \\" \\n`,
  "{braces,commas} {\"a\",NULL} NULL null ARRAY[1] $1 $$ ; DROP TABLE vigil.journal; --",
  Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join(""),
  "line\u2028separator\u2029paragraph \u0085 \u007f \u00a0 \ufeff",
  "emoji 🦉🏳️‍🌈 astral 𝄞 é e\u0301 漢字 \u202eevil",
  "</script><script>alert(1)</script>",
  "",
];

/** Every table's rows, in a stable order, each value tagged with its type so an integer never passes for text. */
function sqliteTables(file: string): Record<string, string[]> {
  const db = openReadonlyDatabase(file);
  try {
    return Object.fromEntries(COPIED_TABLES.map(({ name }) => [name, _sorted(db.prepare(`SELECT * FROM "${name}"`).raw(true).safeIntegers(true).all() as unknown[][])]));
  } finally {
    db.close();
  }
}

async function postgresTables(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables: Record<string, string[]> = {};
    for (const { name } of COPIED_TABLES) {
      const { rows, fields } = await client.query<unknown[]>({ text: `SELECT * FROM vigil."${name}"`, rowMode: "array" });
      // pg hands bigint over as text; the column's type says which it is.
      tables[name] = _sorted(rows.map((row) => row.map((value, i) => (fields[i]!.dataTypeID === 20 && value !== null ? BigInt(value as string) : value))));
    }
    return tables;
  } finally {
    await client.end();
  }
}

function _sorted(rows: unknown[][]): string[] {
  return rows.map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? { integer: String(value) } : value))).sort();
}

function sqliteRecall(file: string): string[] {
  const db = openReadonlyDatabase(file);
  try {
    return (db.prepare("SELECT source, CAST(ref AS TEXT), day, body FROM recall").raw(true).all() as unknown[][]).map((row) => JSON.stringify(row)).sort();
  } finally {
    db.close();
  }
}

async function postgresQuery<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Everything about a database a refused copy must not change: its schema version, and every row of it. */
async function postgresSnapshot(url: string): Promise<string> {
  const [version] = await postgresQuery<{ version: number | null }>(url, "SELECT CASE WHEN to_regclass('vigil.schema_version') IS NULL THEN NULL ELSE (SELECT version FROM vigil.schema_version) END AS version");
  const tables = await postgresQuery<{ table_name: string }>(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'vigil' ORDER BY table_name");
  const rows: Record<string, unknown> = {};
  for (const { table_name: table } of tables) rows[table] = await postgresQuery(url, `SELECT * FROM vigil."${table}" ORDER BY 1`);
  return JSON.stringify({ version, rows });
}

/** A home with a day of activity: real turns through the harness (events, turns, actions, usage, transcripts), and the other stores through their own modules. */
async function seedHomeWithADay(): Promise<{ home: string; file: string }> {
  const h = await startHarness({ start: "2026-11-20T08:00:00Z" });
  const { db, journal } = h.ctx;
  const now = () => h.clock.now();
  for (const [i, hostile] of HOSTILE.entries()) {
    h.notice({ source: "github", type: "issue_comment.created", trust: "untrusted", summary: `octo/app#${i} comment: ${hostile}`, payload: { body: hostile, i } });
  }
  h.server.script(toolUse("notify", { title: "A comment", body: `someone wrote ${HOSTILE[1]}` }), text("told the user about the comments"));
  await h.ticks(2);
  h.notice({ summary: `a message from you ${HOSTILE[0]}` });
  h.server.script(toolUse("stay_quiet", { reason: `nothing to do ${HOSTILE[4]}` }));
  await h.ticks(2);
  for (const kind of JOURNAL_KINDS) for (const hostile of HOSTILE) journal.append({ kind, summary: `${kind}: ${hostile}`, data: { hostile, nested: { list: [hostile, 1, null, true] } } });
  // More than a page of the copy's batches (5,000 rows).
  journal.appendMany(Array.from({ length: 12_000 }, (_, i) => ({ kind: "quiet" as const, summary: `checked the build ${i}`, data: { i } })));

  const approvals = createApprovalQueue(db);
  const asked = approvals.request({ turnId: "turn-x", toolUseId: "toolu_1", tool: "write_file", input: { path: "a.txt", content: HOSTILE[1] }, reason: `tainted: ${HOSTILE[2]}` }, now());
  approvals.decide(asked, "approved", now());
  approvals.finish(asked, "done", "wrote a.txt");
  approvals.request({ turnId: "turn-y", toolUseId: "toolu_2", tool: "run_command", input: { command: "make test" }, reason: "ask" }, now());
  const tasks = createTaskStore({ db, journal });
  const task = tasks.create({ repo: "octo/app", repoDir: h.home, ref: "pr:3", baseCommit: "a".repeat(40), goal: `fix it ${HOSTILE[0]}`, maxSteps: 40, maxTokens: 400_000, timeoutMs: 1_200_000, model: "claude-sonnet-5-5", turnId: null }, now());
  tasks.claimNext((id) => path.join(h.home, "worktrees", `task-${id}`), now());
  tasks.recordStep(task.id, 3, { calls: 3, input: 1200, output: 300, cacheRead: 100, cacheWrite: 50 });
  tasks.finish(task.id, "done", { summary: HOSTILE[4]!, diffstat: " a.txt | 1 +", testTail: HOSTILE[2]!, headCommit: "b".repeat(40) }, now());
  tasks.create({ repo: "octo/lib", repoDir: h.home, ref: null, baseCommit: "c".repeat(40), goal: "queued one", maxSteps: 1, maxTokens: 1, timeoutMs: 1, model: "m", turnId: "turn-z" }, now());
  const subscriptions = createSubscriptionStore(db);
  subscriptions.add({ repo: "octo/app", number: 3 }, "cli", now());
  subscriptions.add({ repo: "octo/app", number: 0 }, "agent", now());
  subscriptions.end({ repo: "octo/app", number: 0 }, `unsubscribed: ${HOSTILE[1]}`, now());
  subscriptions.recordHead("octo/app", 3, "d".repeat(40));
  createSnapshotStore(db).put("octo/app", 3, { head: "d".repeat(40), state: "open", draft: false, updatedAt: null, reviewers: ["x"], conversationSince: null, headSeenAt: now().toISOString(), checksSettled: true, title: HOSTILE[4]!, url: null });
  const wakeups = createWakeupStore(db);
  wakeups.addOnce(new Date(now().getTime() + 3_600_000), `remind ${HOSTILE[0]}`, "agent", now());
  wakeups.addCron("0 8 * * *", "morning", "config", now(), "skip");
  const state = createDaemonState(db);
  state.set("hostile", { text: HOSTILE.join("|") });
  state.set("lastReviewAt", now().toISOString());
  db.prepare("INSERT INTO webhook_deliveries (id, event, received_at) VALUES (?, ?, ?)").run("72d3162e-cc78-11e3-81ab-4c9367dc0958", "pull_request", now().toISOString());
  createMemoryVersions(db, path.join(h.home, "memory")).capture(`dream ${HOSTILE[4]}`, now(), { "MEMORY.md": HOSTILE[0]! });
  createMagicDocRegistry(db).register(path.join(h.home, "doc.md"), h.home, { subject: HOSTILE[4]!, lines: [] });
  // A counter past 2^53, which a JavaScript number would round.
  db.prepare("UPDATE usage SET input = 9007199254740993").run();
  // A search indexes the journal up to its head (recall_progress), as the daemon's would.
  expect(searchRecall(db, "build").length).toBeGreaterThan(0);
  journal.append({ kind: "system", summary: "after the last search: not in the index yet" });
  return { home: h.home, file: path.join(h.home, "vigil.db") };
}

describe.skipIf(gate.skip)(gate.title("vigil store copy"), () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    gate.assertPresent();
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("a day of activity goes into PostgreSQL and back into a new file: every table's rows identical, the same hashes, and the copied-back home verifies", async () => {
    const { home, file } = await seedHomeWithADay();
    const before = sqliteTables(file);
    for (const table of ["journal", "events", "approvals", "actions", "turns", "usage", "tasks", "subscriptions", "pr_heads", "daemon_state", "transcripts", "wakeups", "poll_cache", "webhook_deliveries", "memory_versions", "magic_docs"]) {
      expect(before[table]!.length, `${table} was seeded`).toBeGreaterThan(0);
    }
    const url = await cluster.createDatabase();

    const into = await runVigilAsync(["store", "copy", "--to", url], cleanEnv(home));
    expect(into.stderr).toBe("");
    expect(into.code).toBe(0);
    expect(into.stdout).toMatch(new RegExp(`^copying SQLite .*vigil\\.db → PostgreSQL vigil_admin@127\\.0\\.0\\.1:\\d+/vigil_test_\\d+_\\d+ \\(schema version 0 → ${POSTGRES_LATEST}\\)\n`));
    expect(into.stdout).toMatch(/\n {2}journal +\d{2},\d{3} row\(s\)\n/);
    expect(into.stdout).toMatch(/copied [\d,]+ row\(s\) in [\d.]+ s \([\d,]+ rows\/s; the journal [\d,]+ rows\/s\)/);
    expect(into.stdout).toContain("; its recall index was rebuilt");
    expect(into.stdout + into.stderr).not.toContain(cluster.password);

    expect(await postgresTables(url)).toEqual(before);
    // The index: the same entries (transcripts, and the journal up to where the source had indexed it).
    const recall = (await postgresQuery<{ source: string; ref: string; day: string; body: string }>(url, "SELECT source, ref, day, body FROM vigil.recall")).map((row) => JSON.stringify([row.source, row.ref, row.day, row.body])).sort();
    expect(recall).toEqual(sqliteRecall(file));
    // Numbered keys go on past the copied ids.
    const [next] = await postgresQuery<{ id: string }>(url, "INSERT INTO vigil.events (source, type, dedupe_key, trust, summary, payload, received_at) VALUES ('user', 'message', 'after-copy', 'trusted', 's', '{}', 'now') RETURNING id");
    expect(Number(next!.id)).toBe(before.events!.length + 1);
    await postgresQuery(url, "DELETE FROM vigil.events WHERE dedupe_key = 'after-copy'");

    const back = makeTempHome();
    const out = await runVigilAsync(["store", "copy", "--from", url, "--to", path.join(back, "vigil.db")], cleanEnv(back));
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(readdirSync(back)).toEqual(["vigil.db"]);
    expect(statSync(path.join(back, "vigil.db")).mode & 0o777).toBe(0o600);
    expect(sqliteTables(path.join(back, "vigil.db"))).toEqual(before);
    expect(sqliteRecall(path.join(back, "vigil.db"))).toEqual(sqliteRecall(file));

    const verify = await runVigilAsync(["log", "verify"], cleanEnv(back));
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/journal ok: \d+ rows, chain intact/);
    const log = async (at: string) => (await runVigilAsync(["log", "--json"], cleanEnv(at))).stdout;
    expect(await log(back)).toBe(await log(home));
    // The copied-back home is a home: a search finds an indexed row and indexes the rest.
    const search = await runVigilAsync(["memory", "search", "build"], cleanEnv(back));
    expect(search.code).toBe(0);
    expect(search.stdout).toContain("checked the «build»");
  });

  it("a target that is not empty is refused and left exactly as it was; so is an existing file", async () => {
    const { home } = await seedHomeWithADay();
    const env = cleanEnv(home);
    // A store of an older schema holding one row: the copy would migrate it first, and must not.
    const url = await cluster.createDatabase();
    const older = await runVigilAsync(["store", "migrate", "--url", url], env);
    expect(older.code).toBe(0);
    await postgresQuery(url, "INSERT INTO vigil.daemon_state (key, value) VALUES ('someone', 'else')");
    const snapshot = await postgresSnapshot(url);
    const refused = await runVigilAsync(["store", "copy", "--to", url], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^vigil: PostgreSQL vigil_admin@127\.0\.0\.1:\d+\/\w+ is not empty \(daemon_state: 1 row\(s\)\): a copy goes only into an empty store/);
    expect(await postgresSnapshot(url)).toBe(snapshot);

    const existing = path.join(makeTempHome(), "vigil.db");
    writeFileSync(existing, "not a database, and not to be touched\n");
    const fromPostgres = await cluster.createDatabase();
    expect((await runVigilAsync(["store", "copy", "--to", fromPostgres], env)).code).toBe(0);
    const overwrite = await runVigilAsync(["store", "copy", "--from", fromPostgres, "--to", existing], env);
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toBe(`vigil: ${existing} exists already: a copy goes into a new file only, so nothing is overwritten; name a file that does not exist, or move that one away\n`);
    expect(readFileSync(existing, "utf8")).toBe("not a database, and not to be touched\n");
    expect(readdirSync(path.dirname(existing))).toEqual(["vigil.db"]);
  });

  it("a target written before the schema existed (an older version) is refused without being migrated", async () => {
    const { home } = await seedHomeWithADay();
    const url = await cluster.createDatabase();
    const owner = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const { migratePostgres } = await import("../../daemon/store/postgres/migrate-postgres.js");
      await migratePostgres(owner, POSTGRES_MIGRATIONS.slice(0, 1));
      await owner.query("SELECT * FROM vigil.journal_append(ARRAY['2026-01-01T00:00:00Z'], ARRAY['2026-01-01'], ARRAY['system'], ARRAY['old'], ARRAY['{}'])");
    } finally {
      await owner.end();
    }
    const snapshot = await postgresSnapshot(url);
    const refused = await runVigilAsync(["store", "copy", "--to", url], cleanEnv(home));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty \(journal: 1 row\(s\)\)/);
    expect(await postgresSnapshot(url)).toBe(snapshot);
  });

  it("a copy while vigil start runs on the home is refused, naming the daemon, and writes nothing", async () => {
    const home = makeTempHome();
    writeFileSync(path.join(home, "config.yaml"), "heartbeat: { tickSeconds: 0.2, idleWakeMinutes: 0, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\n");
    const env = cleanEnv(home);
    const daemon = spawnVigil(["start"], env);
    try {
      await waitFor(() => existsSync(path.join(home, "run", "vigil.lock")) && existsSync(path.join(home, "vigil.db")), 15_000, "the daemon's lock");
      const url = await cluster.createDatabase();
      const refused = await runVigilAsync(["store", "copy", "--to", url], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^vigil: vigil start is running on this home \\(pid ${daemon.child.pid}, since [^)]+\\): stop it first \\(vigil stop\\), then copy`));
      expect(await postgresQuery(url, "SELECT to_regnamespace('vigil') AS schema")).toEqual([{ schema: null }]);
    } finally {
      daemon.child.kill("SIGTERM");
      await daemon.exited;
    }
    // Stopped, the same copy goes through.
    expect((await runVigilAsync(["store", "copy", "--to", await cluster.createDatabase()], env)).code).toBe(0);
  });

  it("a wrong password is named without any password, exit 1; a bad URL or flag is a usage error, exit 2", async () => {
    const { home } = await seedHomeWithADay();
    const wrong = "not-the-password-4711";
    const url = cluster.url(await cluster.createDatabase().then((created) => new URL(created).pathname.slice(1)), { user: cluster.user, password: wrong });
    const env = cleanEnv(home, { TEAM_STORE: url });
    for (const [to, named] of [
      [url, "the URL of --to"],
      ["env:TEAM_STORE", "TEAM_STORE"],
    ] as const) {
      const result = await runVigilAsync(["store", "copy", "--to", to], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^vigil: PostgreSQL at 127\\.0\\.0\\.1:${cluster.port} refused the password of user "vigil_admin": check the password in ${named}\\n$`));
      expect(result.stdout + result.stderr).not.toContain(wrong);
      expect(result.stdout + result.stderr).not.toContain(cluster.password);
    }
    const migrate = await runVigilAsync(["store", "migrate"], cleanEnv(home, { VIGIL_DATABASE_URL: url }));
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain("check the password in VIGIL_DATABASE_URL");
    expect(migrate.stderr).not.toContain(wrong);

    for (const [args, message] of [
      [["store", "copy", "--to", "postgres://user:secret-pw@[bad"], /^vigil: the URL of --to is not a URL: write it as postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE \(the value itself is not shown, it holds a password\)\n$/],
      [["store", "copy", "--to", "mysql://user:secret-pw@host/db"], /^vigil: --to takes a postgres:\/\/ URL or a SQLite FILE\.db, not a mysql:\/\/ URL\n$/],
      [["store", "copy", "--to", "postgres"], /^vigil: --to takes a postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE URL or a SQLite file ending in \.db\n$/],
      [["store", "copy", "--to", "env:NO_SUCH_VARIABLE"], /^vigil: --to env:NO_SUCH_VARIABLE: NO_SUCH_VARIABLE is not set/],
      [["store", "copy"], /required option '--to <target>' not specified/],
    ] as const) {
      const result = await runVigilAsync([...args], cleanEnv(home));
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain("secret-pw");
    }
  });

  it("a journal that does not verify is not kept anywhere: the PostgreSQL target is rolled back, no file is left", async () => {
    const { home, file } = await seedHomeWithADay();
    const db: VigilDatabase = openDatabase(file, MIGRATIONS);
    db.exec("DROP TRIGGER journal_no_update");
    db.prepare("UPDATE journal SET summary = 'rewritten' WHERE seq = 5").run();
    db.close();
    const url = await cluster.createDatabase();
    const refused = await runVigilAsync(["store", "copy", "--to", url], cleanEnv(home));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^vigil: the journal copied to PostgreSQL \S+ does not verify at seq 5 \(hash does not match the row's contents \(row edited\)\), so nothing was kept there; run `vigil log verify` on the source/);
    expect(await postgresQuery(url, "SELECT to_regnamespace('vigil') AS schema")).toEqual([{ schema: null }]);

    const dir = makeTempHome();
    const toFile = await runVigilAsync(["store", "copy", "--from", file, "--to", path.join(dir, "copy.db")], cleanEnv(home));
    expect(toFile.code).toBe(1);
    expect(toFile.stderr).toContain("does not verify at seq 5");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("text PostgreSQL cannot hold: a NUL in a journal row stops the copy (its hash covers it), elsewhere it becomes U+FFFD and is said", async () => {
    const { home, file } = await seedHomeWithADay();
    const db = openDatabase(file, MIGRATIONS);
    db.prepare("UPDATE events SET summary = ? WHERE id = 1").run("a\u0000b");
    const noted = await cluster.createDatabase();
    const copied = await runVigilAsync(["store", "copy", "--to", noted], cleanEnv(home));
    expect(copied.code).toBe(0);
    expect(copied.stderr).toBe("note: events.summary: 1 value(s) held NUL, which PostgreSQL text cannot hold; copied with U+FFFD in its place\n");
    expect(await postgresQuery(noted, "SELECT summary FROM vigil.events WHERE id = 1")).toEqual([{ summary: "a\uFFFDb" }]);

    // A row written before summaries were made storable: chained and hashed with its NUL.
    const head = db.prepare("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").get() as { seq: number; hash: string };
    const row = { seq: head.seq + 1, ts: "2026-11-20T09:00:00.000Z", day: "2026-11-20", kind: "noticed", summary: "old\u0000row", data: "{}", prevHash: head.hash };
    db.prepare("INSERT INTO journal (seq, ts, day, kind, summary, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(row.seq, row.ts, row.day, row.kind, row.summary, row.data, row.prevHash, hashEntry(row));
    db.close();
    expect((await runVigilAsync(["log", "verify"], cleanEnv(home))).code).toBe(0);
    const url = await cluster.createDatabase();
    const refused = await runVigilAsync(["store", "copy", "--to", url], cleanEnv(home));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `vigil: journal row ${row.seq} holds a NUL character in its summary, which PostgreSQL text cannot hold: the row cannot move without changing what its hash covers, so nothing was copied; this journal stays whole on SQLite\n`,
    );
    expect(await postgresQuery(url, "SELECT to_regnamespace('vigil') AS schema")).toEqual([{ schema: null }]);
  });

  it("a copy stopped by SIGTERM (vigil stop signals the lock's holder) leaves no half-written target, either way", async () => {
    const home = makeTempHome();
    const { db, journal } = openTestJournal(home);
    for (let i = 0; i < 150_000; i += 5000) journal.appendMany(Array.from({ length: 5000 }, (_, j) => ({ kind: "quiet" as const, summary: `row ${i + j}`, data: { i: i + j } })));
    db.close();
    const env = cleanEnv(home);
    const interrupted = async (args: string[]) => {
      const copy = spawnVigil(args, env);
      await waitFor(() => copy.output().stdout.startsWith("copying "), 20_000, "the copy to start");
      copy.child.kill("SIGTERM");
      expect(await copy.exited).toBe(1);
      expect(copy.output().stderr).toMatch(/^vigil: the copy was interrupted: \S+ \S+ was left as it was\n$/);
    };
    const url = await cluster.createDatabase();
    await interrupted(["store", "copy", "--to", url]);
    expect(await postgresQuery(url, "SELECT to_regnamespace('vigil') AS schema")).toEqual([{ schema: null }]);
    expect(existsSync(path.join(home, "run", "vigil.lock"))).toBe(false);

    expect((await runVigilAsync(["store", "copy", "--to", url], env)).code).toBe(0);
    const dir = makeTempHome();
    await interrupted(["store", "copy", "--from", url, "--to", path.join(dir, "vigil.db")]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("vigil store migrate says from which version to which, on PostgreSQL (--url or VIGIL_DATABASE_URL) and on this home's SQLite", async () => {
    const home = makeTempHome();
    const url = await cluster.createDatabase();
    const first = await runVigilAsync(["store", "migrate", "--url", url], cleanEnv(home));
    expect(first.stdout).toMatch(new RegExp(`^PostgreSQL vigil_admin@127\\.0\\.0\\.1:\\d+/\\w+: schema version 0 → ${POSTGRES_LATEST}\n$`));
    expect(first.code).toBe(0);
    const again = await runVigilAsync(["store", "migrate"], cleanEnv(home, { VIGIL_DATABASE_URL: url }));
    expect(again.stdout).toMatch(new RegExp(`: schema version ${POSTGRES_LATEST} → ${POSTGRES_LATEST} \\(up to date\\)\n$`));
    expect(again.stdout).not.toContain(cluster.password);
    const sqlite = await runVigilAsync(["store", "migrate"], cleanEnv(home));
    expect(sqlite.stdout).toBe(`SQLite ${path.join(home, "vigil.db")}: schema version 0 → ${MIGRATIONS.at(-1)!.version}\n`);
  });
});
