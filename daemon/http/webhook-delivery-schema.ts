export const WEBHOOK_DELIVERY_SCHEMA = `
CREATE TABLE webhook_deliveries (
  id          TEXT PRIMARY KEY,
  event       TEXT NOT NULL,
  received_at TEXT NOT NULL
);
`;
