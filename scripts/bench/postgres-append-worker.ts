// One writer node of the PostgreSQL journal bench: VIGIL_DATABASE_URL (never argv), argv count and
// batch size. Says "ready" once connected, appends on "go", and reports "done" with its rows.
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { createPostgresJournal } from "../../daemon/store/postgres/create-postgres-journal.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import { benchJournalInput } from "./postgres-bench-input.js";

const [countText, batchText] = process.argv.slice(2);
const count = Number(countText);
const batch = Number(batchText);
const pool = await openPostgresPool({ url: process.env.VIGIL_DATABASE_URL!, role: POSTGRES_RUNTIME_ROLE, max: 1 });
const journal = createPostgresJournal({ pool, timeZone: "UTC", redact: createRedactor(["not-a-real-secret"]) });
process.send!("ready");
await new Promise((resolve) => process.once("message", resolve));
for (let i = 0; i < count; i += batch) await journal.appendMany(Array.from({ length: Math.min(batch, count - i) }, (_, j) => benchJournalInput(i + j)));
process.send!({ done: count });
await pool.end();
process.disconnect();
