// Another node appending to the PostgreSQL journal through the built modules. The URL comes in
// VIGIL_DATABASE_URL (a secret: never argv); argv: count, label, batch size. Prints each returned
// seq on its own line, so the parent knows exactly which appends had returned.
import { createRedactor } from "../../dist/daemon/logger/redact-secrets.js";
import { createPostgresJournal } from "../../dist/daemon/store/postgres/create-postgres-journal.js";
import { openPostgresPool } from "../../dist/daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../../dist/daemon/store/postgres/postgres-runtime-role-schema.js";

const [countText, label, batchText = "1"] = process.argv.slice(2);
const count = Number(countText);
const batch = Number(batchText);
const pool = await openPostgresPool({ url: process.env.VIGIL_DATABASE_URL, role: POSTGRES_RUNTIME_ROLE, max: 1 });
const journal = createPostgresJournal({ pool, timeZone: "UTC", redact: createRedactor() });
// Wait for the parent's go, so every worker starts appending at the same moment.
if (process.send) {
  process.send("ready");
  await new Promise((resolve) => process.once("message", resolve));
  process.disconnect();
}
for (let i = 0; i < count; i += batch) {
  const inputs = Array.from({ length: Math.min(batch, count - i) }, (_, j) => ({ kind: "noticed", summary: `${label} ${i + j}`, data: { label, i: i + j } }));
  const entries = await journal.appendMany(inputs);
  process.stdout.write(entries.map((entry) => `${entry.seq}\n`).join(""));
}
await pool.end();
