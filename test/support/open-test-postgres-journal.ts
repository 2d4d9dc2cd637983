import type { Pool } from "pg";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { createPostgresJournal } from "../../daemon/store/postgres/create-postgres-journal.js";
import { migratePostgres } from "../../daemon/store/postgres/migrate-postgres.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import type { PostgresCluster } from "./postgres-cluster.js";

export interface TestPostgresJournal {
  /** The superuser's URL of the fresh database (the owner's, which migrated it). */
  url: string;
  owner: Pool;
  /** Acts as vigil_runtime, as the daemon's pool does. */
  runtime: Pool;
  journal: ReturnType<typeof createPostgresJournal>;
  close(): Promise<void>;
}

/** A real PostgreSQL journal in a fresh, migrated database of `cluster`. */
export async function openTestPostgresJournal(cluster: PostgresCluster, options: { secrets?: string[]; now?: () => Date; timeZone?: string; max?: number } = {}): Promise<TestPostgresJournal> {
  const url = await cluster.createDatabase();
  const owner = await openPostgresPool({ url, max: 2 });
  await migratePostgres(owner);
  const runtime = await openPostgresPool({ url, role: POSTGRES_RUNTIME_ROLE, max: options.max ?? 4 });
  const journal = createPostgresJournal({ pool: runtime, timeZone: options.timeZone ?? "UTC", redact: createRedactor(options.secrets ?? []), now: options.now });
  return { url, owner, runtime, journal, close: async () => void (await Promise.all([owner.end(), runtime.end()])) };
}
