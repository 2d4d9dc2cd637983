import type { Client } from "pg";
import { loadPg } from "./load-pg.js";
import { parsePostgresUrl, withStartupRole } from "./postgres-url.js";
import { toPostgresConnectionError } from "./open-postgres-pool.js";

export interface PostgresClientOptions {
  /** The store URL (a secret: it is never printed). */
  url: string;
  /** The role it acts as (the runtime's `vigil_runtime`). */
  role?: string;
  connectTimeoutMs?: number;
  /** Shown in pg_stat_activity, so an administrator can tell a node's listener from its pool. */
  applicationName?: string;
}

/**
 * One connection of its own, outside the pool (a listener holds it for the daemon's life), with TCP
 * keepalive so a silently dead server is noticed. Fails with the same sentences as openPostgresPool.
 */
export async function connectPostgresClient({ url, role, connectTimeoutMs = 10_000, applicationName = "vigil" }: PostgresClientOptions): Promise<Client> {
  const target = parsePostgresUrl(url);
  const { Client } = loadPg();
  const client = new Client({ connectionString: role ? withStartupRole(url, role) : url, connectionTimeoutMillis: connectTimeoutMs, application_name: applicationName, keepAlive: true });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw toPostgresConnectionError(error, target, role);
  }
}
