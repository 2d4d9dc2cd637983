import type { PostgresQueryable } from "./postgres-queryable.js";

const RECORD = { name: "vigil_webhook_deliveries_record", text: "INSERT INTO vigil.webhook_deliveries (id, event, received_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING" };

/**
 * Webhook delivery ids seen, on PostgreSQL: `record` is true for the first sight of an id on any
 * node. A redelivery reaching another node at the same moment waits on the first insert's
 * transaction and then finds the row (false), so it is answered "duplicate" and changes nothing.
 */
export function createPostgresDeliveries(db: PostgresQueryable): { record(id: string, event: string, at: Date): Promise<boolean> } {
  return { record: async (id, event, at) => (await db.query({ ...RECORD, values: [id, event, at.toISOString()] })).rowCount === 1 };
}
