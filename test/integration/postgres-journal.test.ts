import { spawnAppendWorker } from "../support/spawn-append-worker.js";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { checkPostgresSchemaVersion } from "../../daemon/store/postgres/check-postgres-schema-version.js";
import { createPostgresJournal } from "../../daemon/store/postgres/create-postgres-journal.js";
import { migratePostgres } from "../../daemon/store/postgres/migrate-postgres.js";
import { openPostgresPool, PostgresConnectionError } from "../../daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_MIGRATIONS } from "../../daemon/store/postgres/postgres-migrations.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import { PostgresUrlError, parsePostgresUrl } from "../../daemon/store/postgres/postgres-url.js";
import { verifyPostgresChain } from "../../daemon/store/postgres/verify-postgres-chain.js";
import { hashEntry } from "../../logs/hash-entry.js";
import { checkPostgresTools, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster.js";
import { openTestPostgresJournal, type TestPostgresJournal } from "../support/open-test-postgres-journal.js";
import { ROOT } from "../support/run-vigil.js";
import { checkSystemTools } from "../support/system-tools.js";

const gate = checkPostgresTools();
const tlsGate = checkSystemTools({ openssl: "openssl" });
const WORKER = path.join(ROOT, "test/support/postgres-append-worker.mjs");
const LATEST = POSTGRES_MIGRATIONS.at(-1)!.version;

/** Every character JSON.stringify escapes, alone and together, and ones it leaves as they are. */
const HOSTILE = [
  ...Array.from({ length: 31 }, (_, i) => `control ${String.fromCharCode(i + 1)} U+${(i + 1).toString(16).padStart(4, "0")}`),
  `"double" 'single' \`back\``,
  "back\\slash \\\\ \\n \\u0041 \\",
  "line\u2028separator\u2029paragraph \u0085 \u007f \u00a0 \ufeff",
  "emoji 🦉🏳️‍🌈 astral 𝄞 combining é e\u0301 CJK 漢字 RTL \u202eevil",
  '</script><script>alert(1)</script> {"json": [1, 2]}',
  "",
  " ".repeat(3) + "\t\n\r\b\f" + "\\\"",
];

/** Random strings over every code point but the surrogates and NUL, from a fixed seed. */
function randomStrings(count: number, seed = 7): string[] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31), state);
  return Array.from({ length: count }, () => {
    const points = Array.from({ length: next() % 40 }, () => {
      const pick = next() % 4;
      const point = pick === 0 ? 1 + (next() % 0x7f) : pick === 1 ? 1 + (next() % 0xd7ff) : pick === 2 ? 0xe000 + (next() % 0x2000) : 0x10000 + (next() % 0xfffff);
      return point;
    });
    return String.fromCodePoint(...points);
  });
}

function startWorker(url: string, count: number, label: string, batch: number) {
  return spawnAppendWorker(WORKER, [String(count), label, String(batch)], { ...process.env, VIGIL_DATABASE_URL: url });
}

/** Opening a pool on `url` fails with a PostgresConnectionError matching `pattern`, naming none of `secrets`. */
async function expectConnectionError(url: string, pattern: RegExp, secrets: string[]): Promise<void> {
  const error = await openPostgresPool({ url, connectTimeoutMs: 3000 }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PostgresConnectionError);
  const message = (error as Error).message;
  expect(message).toMatch(pattern);
  for (const secret of secrets) expect(message + JSON.stringify(error) + String((error as Error).stack)).not.toContain(secret);
}

describe.skipIf(gate.skip)(gate.title("the PostgreSQL journal"), () => {
  let cluster: PostgresCluster;
  const opened: TestPostgresJournal[] = [];
  const open = async (options: Parameters<typeof openTestPostgresJournal>[1] = {}) => {
    const store = await openTestPostgresJournal(cluster, options);
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    gate.assertPresent();
    cluster = await startPostgresCluster();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  describe("hashing in the database", () => {
    it("hashes hostile strings byte for byte as logs/hash-entry.ts does", async () => {
      const { journal, owner } = await open();
      const entries = await journal.appendMany(HOSTILE.map((text, i) => ({ kind: "noticed", summary: text, data: { text, nested: [{ [text]: text }], i } })));
      const { rows } = await owner.query("SELECT seq, ts, day, kind, summary, data, prev_hash, hash FROM vigil.journal ORDER BY seq");
      expect(rows).toHaveLength(HOSTILE.length);
      for (const [i, row] of rows.entries()) {
        expect(row.summary).toBe(HOSTILE[i]);
        expect(row.hash).toBe(hashEntry({ seq: Number(row.seq), ts: row.ts, day: row.day, kind: row.kind, summary: row.summary, data: row.data, prevHash: row.prev_hash }));
        expect(entries[i]!.hash).toBe(row.hash);
      }
      expect(await verifyPostgresChain(owner)).toEqual({ ok: true, rows: HOSTILE.length, headSeq: HOSTILE.length, headHash: entries.at(-1)!.hash });
    });

    it("agrees with hashEntry on 2,000 random strings over all of Unicode", async () => {
      const { owner } = await open();
      const texts = randomStrings(2000);
      const { rows } = await owner.query<{ hash: string }>(
        "SELECT vigil.journal_row_hash(o::bigint, t, t, t, t, t, t) AS hash FROM unnest($1::text[]) WITH ORDINALITY AS u(t, o) ORDER BY o",
        [texts],
      );
      expect(rows.map((row) => row.hash)).toEqual(texts.map((t, i) => hashEntry({ seq: i + 1, ts: t, day: t, kind: t, summary: t, data: t, prevHash: t })));
    });

    it("stores a NUL or a lone surrogate in a summary as U+FFFD, and returns the row as stored", async () => {
      const { journal, owner } = await open();
      const entry = await journal.append({ kind: "noticed", summary: "nul \u0000 lone \ud800 pair 🦉", data: { nul: "\u0000", lone: "\udc00" } });
      expect(entry.summary).toBe("nul \ufffd lone \ufffd pair 🦉");
      expect(entry.data).toEqual({ nul: "\u0000", lone: "\udc00" });
      const { rows } = await owner.query("SELECT summary FROM vigil.journal");
      expect(rows[0].summary).toBe(entry.summary);
      expect((await verifyPostgresChain(owner)).ok).toBe(true);
    });
  });

  describe("one linear chain from many writers", () => {
    it("eight pool clients appending at once leave consecutive seqs, each chained to the one before", async () => {
      const { journal, owner } = await open({ max: 8 });
      const perWriter = await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          const seqs: number[] = [];
          for (let round = 0; round < 25; round++) {
            const size = 1 + ((writer + round) % 4);
            const entries = await journal.appendMany(Array.from({ length: size }, (_, i) => ({ kind: "noticed" as const, summary: `w${writer} r${round} #${i}`, data: { writer, round, i } })));
            expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, i) => entries[0]!.seq + i));
            seqs.push(...entries.map((entry) => entry.seq));
          }
          return seqs;
        }),
      );
      const total = perWriter.flat().length;
      expect(perWriter.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      for (const seqs of perWriter) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(await verifyPostgresChain(owner)).toMatchObject({ ok: true, rows: total, headSeq: total });
    });

    it("three processes appending at once leave one chain that verifies", async () => {
      const { url, owner } = await open();
      const workers = [startWorker(url, 300, "alpha", 1), startWorker(url, 300, "beta", 1), startWorker(url, 301, "gamma", 7)];
      await Promise.all(workers.map((worker) => worker.ready));
      for (const worker of workers) worker.go();
      for (const worker of workers) expect(await worker.exited, worker.stderr()).toBe(0);

      expect(await verifyPostgresChain(owner)).toMatchObject({ ok: true, rows: 901, headSeq: 901 });
      const labels = await owner.query("SELECT data::json->>'label' AS label, count(*)::int AS n FROM vigil.journal GROUP BY 1 ORDER BY 1");
      expect(labels.rows).toEqual([
        { label: "alpha", n: 300 },
        { label: "beta", n: 300 },
        { label: "gamma", n: 301 },
      ]);
      for (const worker of workers) expect(worker.seqs()).toEqual([...worker.seqs()].sort((a, b) => a - b));
      // The writers did interleave: along the chain the label changes hands many times.
      const order = (await owner.query("SELECT data::json->>'label' AS label FROM vigil.journal ORDER BY seq")).rows.map((row) => row.label as string);
      expect(order.filter((label, i) => i > 0 && label !== order[i - 1]).length).toBeGreaterThan(10);
    });
  });

  describe("the history cannot be rewritten", () => {
    it("the runtime role may not UPDATE, DELETE or TRUNCATE (privileges), nor disable the triggers", async () => {
      const { journal, runtime, owner } = await open();
      await journal.appendMany([{ kind: "noticed", summary: "original" }, { kind: "quiet", summary: "nothing to do" }]);
      const before = (await owner.query("SELECT * FROM vigil.journal ORDER BY seq")).rows;
      for (const sql of ["UPDATE vigil.journal SET summary = 'forged' WHERE seq = 1", "DELETE FROM vigil.journal WHERE seq = 2", "TRUNCATE vigil.journal", "ALTER TABLE vigil.journal DISABLE TRIGGER USER", "DROP TABLE vigil.journal"]) {
        await expect(runtime.query(sql), sql).rejects.toMatchObject({ code: "42501" });
      }
      expect((await runtime.query("SELECT current_user AS role")).rows[0].role).toBe(POSTGRES_RUNTIME_ROLE);
      expect((await owner.query("SELECT * FROM vigil.journal ORDER BY seq")).rows).toEqual(before);
      expect((await verifyPostgresChain(owner)).ok).toBe(true);
    });

    it("the owner, even a superuser, is refused by the triggers", async () => {
      const { journal, owner } = await open();
      await journal.append({ kind: "noticed", summary: "original" });
      await expect(owner.query("UPDATE vigil.journal SET summary = 'forged'")).rejects.toThrow("journal is append-only: UPDATE is not allowed");
      await expect(owner.query("DELETE FROM vigil.journal")).rejects.toThrow("journal is append-only: DELETE is not allowed");
      await expect(owner.query("TRUNCATE vigil.journal")).rejects.toThrow("journal is append-only: TRUNCATE is not allowed");
      expect((await owner.query("SELECT summary FROM vigil.journal")).rows).toEqual([{ summary: "original" }]);
    });

    it("verify names the first row edited or removed behind the triggers' back", async () => {
      const { journal, owner } = await open();
      await journal.appendMany(Array.from({ length: 5 }, (_, i) => ({ kind: "noticed" as const, summary: `row ${i + 1}` })));
      await owner.query("ALTER TABLE vigil.journal DISABLE TRIGGER USER");
      await owner.query("UPDATE vigil.journal SET summary = 'forged' WHERE seq = 3");
      expect(await verifyPostgresChain(owner)).toEqual({ ok: false, rows: 3, seq: 3, reason: "hash does not match the row's contents (row edited)" });
      await owner.query("DELETE FROM vigil.journal WHERE seq >= 2 AND seq <= 3");
      expect(await verifyPostgresChain(owner)).toEqual({ ok: false, rows: 2, seq: 2, reason: "rows 2–3 are missing (deleted)" });
    });

    it("a database owner that is no superuser migrates, is granted the runtime role, and its runtime cannot rewrite", async () => {
      const login = { user: "team_owner", password: "team-owner-pw-1234" };
      await cluster.admin(`CREATE ROLE ${login.user} LOGIN CREATEROLE PASSWORD '${login.password}'`);
      await cluster.admin(`CREATE DATABASE team_store OWNER ${login.user}`);
      const url = cluster.url("team_store", login);
      const owner = await openPostgresPool({ url, max: 1 });
      expect(await migratePostgres(owner)).toEqual({ from: 0, to: LATEST });
      const runtime = await openPostgresPool({ url, role: POSTGRES_RUNTIME_ROLE, max: 1 });
      try {
        const journal = createPostgresJournal({ pool: runtime, timeZone: "UTC", redact: createRedactor() });
        await journal.append({ kind: "system", summary: "started" });
        await expect(runtime.query("UPDATE vigil.journal SET summary = 'x'")).rejects.toMatchObject({ code: "42501" });
        await expect(owner.query("DELETE FROM vigil.journal")).rejects.toThrow("append-only");
        await checkPostgresSchemaVersion(runtime);
      } finally {
        await Promise.all([owner.end(), runtime.end()]);
      }
    });
  });

  describe("the schema's version", () => {
    it("a schema newer than this Vigil is refused, by migrate and by the runtime's check, and left as it was", async () => {
      const { owner, runtime, journal } = await open();
      await journal.append({ kind: "system", summary: "kept" });
      await owner.query("UPDATE vigil.schema_version SET version = 99");
      const newer = new RegExp(`has Vigil schema version 99, newer than this Vigil knows \\(${LATEST}\\): a newer Vigil migrated it; upgrade Vigil on this node`);
      await expect(migratePostgres(owner)).rejects.toThrow(newer);
      await expect(checkPostgresSchemaVersion(runtime)).rejects.toThrow(newer);
      expect((await owner.query("SELECT version FROM vigil.schema_version")).rows).toEqual([{ version: 99 }]);
      expect((await owner.query("SELECT count(*)::int AS n FROM vigil.journal")).rows).toEqual([{ n: 1 }]);
    });

    it("a schema older than this Vigil, or none, tells the runtime to migrate; migrate brings it up", async () => {
      const url = await cluster.createDatabase();
      const owner = await openPostgresPool({ url, max: 1 });
      try {
        await expect(checkPostgresSchemaVersion(owner)).rejects.toThrow(/has no Vigil schema yet: run `vigil store migrate` with the database owner's URL/);
        await migratePostgres(owner);
        const later = [...POSTGRES_MIGRATIONS, { version: LATEST + 1, sql: "CREATE TABLE vigil.later (x int)" }];
        await expect(checkPostgresSchemaVersion(owner, later)).rejects.toThrow(`has Vigil schema version ${LATEST}, older than this Vigil's ${LATEST + 1}: run \`vigil store migrate\``);
        expect(await migratePostgres(owner, later)).toEqual({ from: LATEST, to: LATEST + 1 });
        await checkPostgresSchemaVersion(owner, later);
      } finally {
        await owner.end();
      }
    });

    it("a migration that fails half-way leaves nothing behind", async () => {
      const url = await cluster.createDatabase();
      const owner = await openPostgresPool({ url, max: 1 });
      try {
        const broken = [...POSTGRES_MIGRATIONS, { version: LATEST + 1, sql: "CREATE TABLE vigil.half (x int); SELECT no_such_function();" }];
        await expect(migratePostgres(owner, broken)).rejects.toThrow(/no_such_function/);
        expect((await owner.query("SELECT to_regnamespace('vigil') AS schema")).rows).toEqual([{ schema: null }]);
      } finally {
        await owner.end();
      }
    });

    it("nodes migrating at once apply each migration once", async () => {
      const url = await cluster.createDatabase();
      const pools = await Promise.all([1, 2, 3].map(() => openPostgresPool({ url, max: 1 })));
      try {
        const outcomes = await Promise.all(pools.map((pool) => migratePostgres(pool)));
        expect(outcomes.filter((outcome) => outcome.from === 0)).toHaveLength(1);
        expect(outcomes.every((outcome) => outcome.to === LATEST)).toBe(true);
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
      }
    });

    it("a login that may not create the schema is told who must do what", async () => {
      await cluster.admin("CREATE ROLE plain_login LOGIN PASSWORD 'plain-login-pw-5678'");
      await cluster.createDatabase("plain_store");
      const url = cluster.url("plain_store", { user: "plain_login", password: "plain-login-pw-5678" });
      const pool = await openPostgresPool({ url, max: 1 });
      try {
        await expect(migratePostgres(pool)).rejects.toThrow(/user "plain_login" may not create Vigil's schema in "plain_store" .*: migrate with the database owner's URL/);
        await expect(openPostgresPool({ url, role: POSTGRES_RUNTIME_ROLE })).rejects.toThrow(/user "plain_login" cannot act as the role vigil_runtime .*not granted to it.*run `vigil store migrate` with the database owner's URL/);
      } finally {
        await pool.end();
      }
    });
  });

  describe("connection errors say what is wrong and never show the password", () => {
    it("a wrong password", async () => {
      const wrong = "wrong-pass-Zq81x";
      await expectConnectionError(cluster.url("postgres", { user: cluster.user, password: wrong }), /^PostgreSQL at 127\.0\.0\.1:\d+ refused the password of user "vigil_admin": check the password in store\.url/, [wrong, cluster.password]);
    });

    it("an unknown database", async () => {
      await expectConnectionError(cluster.url("no_such_db"), /has no database "no_such_db": create it \(createdb -O vigil_admin no_such_db\) or fix the database name in store\.url/, [cluster.password]);
    });

    it("nothing listening", async () => {
      const closed = cluster.url("postgres").replace(`:${cluster.port}/`, ":1/");
      await expectConnectionError(closed, /^nothing is listening at 127\.0\.0\.1:1: start PostgreSQL, or fix the host and port in store\.url$/, [cluster.password]);
    });

    it("TLS asked of a server without it", async () => {
      await expectConnectionError(`${cluster.url("postgres")}?sslmode=no-verify`, /does not offer TLS but store\.url asks for it/, [cluster.password]);
    });

    it("a URL that is not one, without echoing it", () => {
      const secret = "pa ss[word]";
      expect(() => parsePostgresUrl(`postgres://u:${secret}@[::1`)).toThrow(PostgresUrlError);
      expect(() => parsePostgresUrl(`postgres://u:${secret}@[::1`)).toThrow(/^store\.url is not a URL: write it as postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE \(the value itself is not shown, it holds a password\)$/);
      expect(() => parsePostgresUrl("mysql://u:p@h/db")).toThrow(/starts with "mysql:\/\/", not postgres:\/\//);
    });
  });

  describe.skipIf(tlsGate.skip)(tlsGate.title("over TLS"), () => {
    let tlsCluster: PostgresCluster;
    const tlsOnly = { user: "tls_only", password: "tls-only-pw-2468" };
    beforeAll(async () => {
      tlsGate.assertPresent();
      tlsCluster = await startPostgresCluster({ tls: true, hba: [`hostnossl all ${tlsOnly.user} 127.0.0.1/32 reject`] });
      await tlsCluster.admin(`CREATE ROLE ${tlsOnly.user} LOGIN PASSWORD '${tlsOnly.password}'`);
    });
    afterAll(async () => {
      await tlsCluster?.stop();
    });

    it("sslmode and sslrootcert in the URL work: the journal appends over a verified connection", async () => {
      const url = `${await tlsCluster.createDatabase()}?sslmode=verify-full&sslrootcert=${encodeURIComponent(tlsCluster.certificateFile!)}`;
      const owner = await openPostgresPool({ url, max: 1 });
      try {
        await migratePostgres(owner);
        expect((await owner.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).rows).toEqual([{ ssl: true }]);
        const journal = createPostgresJournal({ pool: owner, timeZone: "UTC", redact: createRedactor() });
        expect((await journal.append({ kind: "system", summary: "over TLS" })).seq).toBe(1);
      } finally {
        await owner.end();
      }
    });

    it("a certificate this node does not trust", async () => {
      await expectConnectionError(`${tlsCluster.url("postgres")}?sslmode=verify-full`, /offered a TLS certificate this node does not trust \(DEPTH_ZERO_SELF_SIGNED_CERT\): give its CA with sslrootcert=FILE in store\.url/, [tlsCluster.password]);
    });

    it("a user the server takes only over TLS, asked without it", async () => {
      await expectConnectionError(tlsCluster.url("postgres", tlsOnly), /accepts user "tls_only" only over TLS: add sslmode=require/, [tlsOnly.password]);
    });
  });
});
