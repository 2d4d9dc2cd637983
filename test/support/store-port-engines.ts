import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { postgresStoreTx, type StoreTx } from "../../daemon/context/store-tx.js";
import { createEventQueue, type NewEvent } from "../../daemon/events/event-queue.js";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { createPostgresStore } from "../../daemon/store/postgres/create-postgres-store.js";
import type { PostgresNode } from "../../daemon/store/postgres/create-postgres-turn-queue.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import { keepLeasesRenewed, type LeaseRenewal } from "../../daemon/store/postgres/keep-leases-renewed.js";
import { startPostgresNode } from "../../daemon/store/postgres/start-postgres-node.js";
import { verifyPostgresChain } from "../../daemon/store/postgres/verify-postgres-chain.js";
import type { VigilStore } from "../../daemon/store/vigil-store.js";
import { openSqliteStore } from "../../daemon/supervisor/open-sqlite-store.js";
import { verifyChain, type ChainVerdict } from "../../logs/verify-chain.js";
import { openTestJournal } from "./open-test-journal.js";
import { openTestPostgresJournal } from "./open-test-postgres-journal.js";
import { makeTempHome } from "./temp-home.js";
import { usePostgresCluster } from "./use-postgres-cluster.js";

/** A store on one engine, and what is in it, read behind the port's back. */
export interface EngineStore {
  store: VigilStore<StoreTx>;
  /** Another node's store on the same data (PostgreSQL); SQLite has one writer process. */
  second?: VigilStore<StoreTx>;
  events(): Promise<Array<{ id: number; dedupe_key: string; summary: string }>>;
  journal(): Promise<Array<{ seq: number; summary: string; data: string }>>;
  verify(): Promise<ChainVerdict>;
  /** A table's rows behind the port's back, first column first; PostgreSQL's bigint counts as numbers. */
  table(name: "turns" | "usage"): Promise<Array<Record<string, unknown>>>;
  /** Today's Markdown, where the engine renders it ("" when none). */
  markdown(): string;
  /** PostgreSQL: renews the first node's leases every `everyMs`, as a running daemon's node does (stopped after the test). */
  renewLeases?(everyMs: number): LeaseRenewal;
}

const redact = createRedactor(["sekret-value-123"]);

export interface StorePortEngine {
  name: string;
  skip: boolean;
  open(options?: { leaseTtlMs?: number }): Promise<EngineStore>;
}

/**
 * The store port's two engines for a test file (test/integration/store-port-*.test.ts): SQLite on
 * a temp home, and PostgreSQL on a fresh database of a throwaway cluster with two nodes' stores;
 * each `open` is closed after its test. Secrets redacted: "sekret-value-123".
 */
export function useStorePortEngines(): { ENGINES: StorePortEngine[]; gate: ReturnType<typeof usePostgresCluster>["gate"] } {
  const { gate, cluster, closeAfterTest } = usePostgresCluster();
  const ENGINES: StorePortEngine[] = [
    {
      name: "sqlite",
      skip: false,
      open: async () => {
        const home = makeTempHome();
        const { db, journal } = openTestJournal(home, { secrets: ["sekret-value-123"] });
        const events = createEventQueue({ db, redact });
        const store = openSqliteStore({ db, journal, events });
        closeAfterTest(() => store.close());
        const logs = path.join(home, "logs");
        return {
          store,
          events: async () => db.prepare("SELECT id, dedupe_key, summary FROM events ORDER BY id").all() as never,
          journal: async () => db.prepare("SELECT seq, summary, data FROM journal ORDER BY seq").all() as never,
          verify: async () => verifyChain(db),
          table: async (name) => db.prepare(`SELECT * FROM ${name} ORDER BY 1`).all() as never,
          markdown: () => (existsSync(logs) ? (readdirSync(logs, { recursive: true }) as string[]).filter((file) => file.endsWith(".md")).map((file) => readFileSync(path.join(logs, file), "utf8")).join("") : ""),
        };
      },
    },
    {
      name: gate.title("postgres"),
      skip: gate.skip,
      open: async ({ leaseTtlMs = 30_000 } = {}) => {
        const pg = await openTestPostgresJournal(cluster());
        const other = await openPostgresPool({ url: pg.url, role: POSTGRES_RUNTIME_ROLE, max: 4 });
        const [node, otherNode] = [await startPostgresNode(pg.runtime, { version: "test", leaseTtlMs }), await startPostgresNode(other, { version: "test", leaseTtlMs })];
        const tx = (as: PostgresNode) => (client: Parameters<typeof postgresStoreTx>[0], afterCommit: (change: () => void) => void) => postgresStoreTx(client, { timeZone: "UTC", redact, now: () => new Date(), node: as, afterCommit });
        const store = createPostgresStore(pg.runtime, tx(node));
        const second = createPostgresStore(other, tx(otherNode));
        const renewals: LeaseRenewal[] = [];
        closeAfterTest(async () => {
          for (const renewal of renewals) await renewal.stop();
          await second.close();
          await pg.close();
        });
        const rows = async (sql: string) => (await pg.owner.query(sql)).rows.map((row) => ({ ...row, ...("id" in row ? { id: Number(row.id) } : {}), ...("seq" in row ? { seq: Number(row.seq) } : {}) }));
        return {
          store,
          second,
          events: () => rows("SELECT id, dedupe_key, summary FROM vigil.events ORDER BY id") as never,
          journal: () => rows("SELECT seq, summary, data FROM vigil.journal ORDER BY seq") as never,
          verify: () => verifyPostgresChain(pg.owner),
          table: async (name) => (await pg.owner.query(`SELECT * FROM vigil.${name} ORDER BY 1`)).rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === "string" && /^\d+$/.test(value) && key !== "id" ? Number(value) : value]))),
          markdown: () => "",
          renewLeases: (everyMs) => {
            const renewal = keepLeasesRenewed(pg.runtime, node, { everyMs });
            renewals.push(renewal);
            return renewal;
          },
        };
      },
    },
  ];
  return { ENGINES, gate };
}

/** A pull request opened on octo/app, its dedupe key `key`. */
export function storeEvent(key: string, summary = `change ${key}`): NewEvent {
  return { source: "github", type: "pull_request.opened", dedupeKey: key, trust: "untrusted", summary, payload: { repo: "octo/app", number: 1 } };
}
