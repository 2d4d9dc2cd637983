import type { Pool, PoolClient } from "pg";

/** Runs `fn` in one transaction on one of the pool's connections: committed if it returns, rolled back if it throws. */
export async function inPostgresTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
