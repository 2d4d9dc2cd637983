// One writer node of the PostgreSQL benches: VIGIL_DATABASE_URL (never argv), argv count, batch
// size and mode. Says "ready" once connected, writes on "go", and reports "done" with its rows.
//   journal: appendMany of `batch` rows per statement, one after another;
//   notice:  noticeEventIn through the store port, one event and its journal row per transaction,
//            `batch` transactions at once (a node taking in deliveries from several connections).
import { postgresStoreTx } from "../../daemon/context/store-tx.js";
import { noticeEventIn } from "../../daemon/events/notice-event.js";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { createPostgresJournal } from "../../daemon/store/postgres/create-postgres-journal.js";
import { createPostgresStore } from "../../daemon/store/postgres/create-postgres-store.js";
import { openPostgresPool } from "../../daemon/store/postgres/open-postgres-pool.js";
import { POSTGRES_RUNTIME_ROLE } from "../../daemon/store/postgres/postgres-runtime-role-schema.js";
import { startPostgresNode } from "../../daemon/store/postgres/start-postgres-node.js";
import { benchJournalInput, benchNewEvent } from "./postgres-bench-input.js";

const [countText, batchText, mode = "journal"] = process.argv.slice(2);
const count = Number(countText);
const batch = Number(batchText);
const redact = createRedactor(["not-a-real-secret"]);
const pool = await openPostgresPool({ url: process.env.VIGIL_DATABASE_URL!, role: POSTGRES_RUNTIME_ROLE, max: mode === "notice" ? batch : 1 });
const write = mode === "notice" ? _notice : _append;
process.send!("ready");
await new Promise((resolve) => process.once("message", resolve));
await write();
process.send!({ done: count });
await pool.end();
process.disconnect();

async function _append(): Promise<void> {
  const journal = createPostgresJournal({ pool, timeZone: "UTC", redact });
  for (let i = 0; i < count; i += batch) await journal.appendMany(Array.from({ length: Math.min(batch, count - i) }, (_, j) => benchJournalInput(i + j)));
}

async function _notice(): Promise<void> {
  const node = await startPostgresNode(pool, { version: "bench", leaseTtlMs: 30_000 });
  const store = createPostgresStore(pool, (client, afterCommit) => postgresStoreTx(client, { timeZone: "UTC", redact, now: () => new Date(), node, afterCommit }));
  let next = 0;
  const tag = `${process.pid}`;
  await Promise.all(
    Array.from({ length: batch }, async () => {
      while (next < count) {
        const i = next++;
        await store.transaction((tx) => noticeEventIn(tx, benchNewEvent(`${tag}-${i}`)));
      }
    }),
  );
}
