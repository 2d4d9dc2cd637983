import type { VigilDatabase } from "../store/open-database.js";

/** Webhook delivery ids seen (the table webhook-delivery-schema.ts makes): true for an id's first sight. */
export function createWebhookDeliveries(db: VigilDatabase): { record(id: string, event: string, at: Date): boolean } {
  const record = db.prepare("INSERT INTO webhook_deliveries (id, event, received_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING");
  return { record: (id, event, at) => record.run(id, event, at.toISOString()).changes === 1 };
}
