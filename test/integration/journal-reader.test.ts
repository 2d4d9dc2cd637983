import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresJournalReader } from "../../daemon/store/postgres/create-postgres-journal-reader.js";
import type { JournalInput } from "../../logs/journal-entry.js";
import type { JournalReader } from "../../logs/journal-reader.js";
import type { EntryQuery } from "../../logs/query-entries.js";
import { createSqliteJournalReader } from "../../logs/sqlite-journal-reader.js";
import { openTestJournal } from "../support/open-test-journal.js";
import { openTestPostgresJournal, type TestPostgresJournal } from "../support/open-test-postgres-journal.js";
import { checkPostgresTools, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster.js";
import { cleanEnv, runVigilAsync } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

const gate = checkPostgresTools();
let cluster: PostgresCluster | undefined;

beforeAll(async () => {
  if (gate.skip) return;
  gate.assertPresent();
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** Two days of rows that every filter tells apart: kinds, sources, LIKE's own characters, case, non-ASCII. */
const INPUTS: JournalInput[] = [
  { kind: "noticed", summary: "github/pull_request.opened: octo/app#1 Fix 100% of the_bugs", data: { source: "github", type: "pull_request.opened" } },
  { kind: "quiet", summary: "quiet: nothing worth doing", data: { quiet: true } },
  { kind: "noticed", summary: "files/change: notes.md", data: { source: "files", path: "notes.md" } },
  { kind: "acted", summary: "notified: PR #1 needs review", data: { tool: "notify", text: "Grüße, 100 percent" } },
  { kind: "noticed", summary: "user/message: remind me at five", data: { source: "user" } },
  { kind: "error", summary: "model call failed: 529 overloaded", data: { status: 529 } },
  { kind: "noticed", summary: "github/issue_comment.created: LGTM", data: { source: "github", type: "issue_comment.created" } },
  { kind: "system", summary: "daemon started", data: { event: "started" } },
];

/** Six hours per row from a fixed start: the rows span two local days. */
function sixHourClock(): () => Date {
  let at = Date.parse("2026-11-30T03:00:00.000Z");
  return () => {
    const now = new Date(at);
    at += 6 * 3_600_000;
    return now;
  };
}

const QUERIES: Array<[string, EntryQuery, number]> = [
  ["everything", {}, 8],
  ["one day", { day: "2026-11-30" }, 4],
  ["one kind", { kind: "noticed" }, 4],
  ["a source", { source: "github" }, 2],
  ["grep, any case", { grep: "PR #1" }, 1],
  ["grep, case-blind", { grep: "quiet: NOTHING" }, 1],
  ["grep with LIKE's % taken literally", { grep: "100%" }, 1],
  ["grep with LIKE's _ taken literally", { grep: "the_bugs" }, 1],
  ["grep in the data", { grep: "percent" }, 1],
  ["since and until", { since: "2026-11-30T09:00:00.000Z", until: "2026-12-01T03:00:00.000Z" }, 3],
  ["after a seq", { afterSeq: 5 }, 3],
  ["the last three", { last: 3 }, 3],
  ["a limit", { limit: 2 }, 2],
  ["kind and day and source", { kind: "noticed", day: "2026-12-01", source: "github" }, 1],
];

describe.skipIf(gate.skip)(gate.title("the journal reader, the same on SQLite and PostgreSQL"), () => {
  let sqlite: JournalReader;
  let postgres: JournalReader;
  let store: TestPostgresJournal;

  beforeAll(async () => {
    const { db, journal } = openTestJournal(makeTempHome(), { now: sixHourClock() });
    for (const input of INPUTS) journal.append(input);
    sqlite = createSqliteJournalReader(db);
    store = await openTestPostgresJournal(cluster!, { now: sixHourClock() });
    for (const input of INPUTS) await store.journal.append(input);
    postgres = createPostgresJournalReader(store.runtime, "postgres://test");
  });
  afterAll(async () => {
    await sqlite?.close();
    await store?.owner.end();
    await postgres?.close();
  });

  it.each(QUERIES)("%s: the same rows from both, as many as written", async (_name, query, expected) => {
    const [fromSqlite, fromPostgres] = await Promise.all([sqlite.query(query), postgres.query(query)]);
    expect(fromSqlite).toHaveLength(expected);
    expect(fromPostgres).toEqual(fromSqlite);
  });

  it("the last rows come oldest first, and the head, a hash by seq and the verdict agree", async () => {
    const last = await postgres.query({ last: 3 });
    expect(last.map((entry) => entry.seq)).toEqual([6, 7, 8]);
    expect(await postgres.head()).toEqual(await sqlite.head());
    expect(await postgres.hashAt(4)).toBe((await sqlite.query({ afterSeq: 3, limit: 1 }))[0]!.hash);
    expect(await postgres.hashAt(99)).toBeUndefined();
    expect(await postgres.verify()).toEqual(await sqlite.verify());
    expect((await postgres.verify()).ok).toBe(true);
  });
});

describe.skipIf(gate.skip)(gate.title("vigil log and vigil log verify with store.engine: postgres"), () => {
  let home: string;
  let url: string;
  let localLog: string;

  beforeAll(async () => {
    // Shared by the tests below (makeTempHome's are removed after each test).
    home = mkdtempSync(path.join(tmpdir(), "vigil-team-log-"));
    const { db, journal } = openTestJournal(home, { now: sixHourClock() });
    for (const input of INPUTS) journal.append(input);
    db.close();
    localLog = (await runVigilAsync(["log", "--json"], cleanEnv(home))).stdout;
    url = await cluster!.createDatabase();
    const copied = await runVigilAsync(["store", "copy", "--to", "env:TEAM_URL"], cleanEnv(home, { TEAM_URL: url }));
    expect(copied.code, copied.stderr).toBe(0);
    writeFileSync(path.join(home, "config.yaml"), "store:\n  engine: postgres\n");
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("reads the team store's journal: the rows the home had, and a chain that verifies", async () => {
    const env = cleanEnv(home, { VIGIL_DATABASE_URL: url });
    const log = await runVigilAsync(["log", "--json"], env);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout.trim().split("\n")).toHaveLength(INPUTS.length);
    expect(log.stdout).toBe(localLog);
    const filtered = await runVigilAsync(["log", "--json", "--kind", "noticed", "--source", "github"], env);
    expect(filtered.stdout.trim().split("\n").map((line) => JSON.parse(line).summary)).toEqual([INPUTS[0]!.summary, INPUTS[6]!.summary]);
    const verify = await runVigilAsync(["log", "verify"], env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`journal ok: ${INPUTS.length} rows, chain intact up to seq ${INPUTS.length}`);
  });

  it("a row changed behind the database's back is found by vigil log verify on PostgreSQL", async () => {
    const tampered = await cluster!.createDatabase();
    const copied = await runVigilAsync(["store", "copy", "--to", "env:TEAM_URL", "--from", path.join(home, "vigil.db")], cleanEnv(home, { TEAM_URL: tampered }));
    expect(copied.code, copied.stderr).toBe(0);
    // Only the owner can switch the append-only triggers off: what an attacker with the owner's password would do.
    await cluster!.admin("ALTER TABLE vigil.journal DISABLE TRIGGER USER; UPDATE vigil.journal SET summary = 'nothing happened' WHERE seq = 4", new URL(tampered).pathname.slice(1));
    const verify = await runVigilAsync(["log", "verify"], cleanEnv(home, { VIGIL_DATABASE_URL: tampered }));
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain("journal broken at seq 4");
  });

  it("says what is missing or wrong: no URL, a wrong password, and a daemon that cannot run on it yet", async () => {
    const missing = await runVigilAsync(["log"], cleanEnv(home));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("store.url");
    expect(missing.stderr).toContain("VIGIL_DATABASE_URL");

    const wrong = new URL(url);
    wrong.username = "vigil_nobody";
    wrong.password = "not-the-password-42";
    const refused = await runVigilAsync(["log"], cleanEnv(home, { VIGIL_DATABASE_URL: wrong.toString() }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/vigil: PostgreSQL/);
    expect(refused.stderr).not.toContain("not-the-password-42");

    const start = await runVigilAsync(["start", "--once"], cleanEnv(home, { VIGIL_DATABASE_URL: url }));
    expect(start.code).toBe(78);
    expect(start.stderr).toContain("store.engine");
    expect(start.stderr).toContain("vigil log verify");
  });

  it("vigil tell queues on the team store, journals it there, and says no node is running; vigil.db stays untouched", async () => {
    const env = cleanEnv(home, { VIGIL_DATABASE_URL: url });
    const before = (await runVigilAsync(["log", "--json"], env)).stdout.trim().split("\n").length;
    const tell = await runVigilAsync(["tell", "hello team"], env);
    expect(tell.code, tell.stderr).toBe(0);
    expect(tell.stdout).toMatch(/^queued event \d+; no node of the team store postgres:\/\/127\.0\.0\.1:\d+\/\w+ has been seen in the last minute/);
    expect(tell.stdout).not.toContain("@");
    const log = (await runVigilAsync(["log", "--json"], env)).stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(log).toHaveLength(before + 1);
    expect(log.at(-1)).toMatchObject({ kind: "noticed", summary: "user/message: hello team", data: { source: "user", trust: "trusted", urgent: true } });
    expect((await runVigilAsync(["log", "verify"], env)).code).toBe(0);
    // The local file still holds only what it had before the copy: nothing went to vigil.db.
    expect((await runVigilAsync(["log", "--json"], cleanEnv(home, { VIGIL_CONFIG: path.join(home, "none.yaml") }))).stdout).toBe(localLog);
    const waited = await runVigilAsync(["tell", "--wait", "anyone?"], env);
    expect(waited.code).toBe(1);
  });
});
