/**
 * Webhook deliveries seen (daemon/http/webhook-delivery-schema.ts). The delivery id stays the
 * primary key, so a redelivery reaching another node is refused by the database
 * (`ON CONFLICT (id) DO NOTHING`) and not only by a read before the write. Insert-only.
 */
export function postgresWebhookDeliverySchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.webhook_deliveries (
  id          text PRIMARY KEY,
  event       text NOT NULL,
  received_at text NOT NULL
);
GRANT SELECT, INSERT ON vigil.webhook_deliveries TO ${runtimeRole};
`;
}
