import { createTurnRows } from "../brain/turn-rows.js";
import { createUsageLedger } from "../brain/usage-ledger.js";
import { sqliteStoreTx, type StoreTx } from "../context/store-tx.js";
import type { EventQueue } from "../events/event-queue.js";
import { createWakeupStore } from "../events/wakeups.js";
import { createPollCache } from "../github/poll/poll-cache.js";
import { createSubscriptionStore } from "../github/subscriptions.js";
import { createWebhookDeliveries } from "../http/webhook-deliveries.js";
import { createApprovalQueue } from "../policy/approvals.js";
import { createDaemonState } from "../state/daemon-state.js";
import type { VigilDatabase } from "../store/open-database.js";
import { createSqliteStore } from "../store/sqlite/create-sqlite-store.js";
import type { VigilStore } from "../store/vigil-store.js";
import { createWalCheckpointer } from "../store/wal-checkpointer.js";
import { createWalSync } from "../store/wal-sync.js";
import { createActionRows } from "../tools/action-ledger.js";
import type { Journal } from "../../logs/journal.js";
import { createRecallSearch } from "../../memory/search-recall.js";
import { createTranscriptRows } from "../../memory/transcripts.js";

/**
 * The store port on this home's vigil.db (daemon/store/sqlite/create-sqlite-store.ts) with every
 * domain the port offers so far, over the context's own journal and queue. Commits are made
 * durable off the event loop (daemon/store/wal-sync.ts), and under a run of them the WAL is
 * checkpointed by a worker thread instead of inside a COMMIT (daemon/store/wal-checkpointer.ts).
 */
export function openSqliteStore({ db, journal, events }: { db: VigilDatabase; journal: Journal; events: EventQueue }): VigilStore<StoreTx> {
  const checkpoints = createWalCheckpointer(db);
  const tx = sqliteStoreTx({
    events,
    journal,
    turns: createTurnRows(db),
    usage: createUsageLedger(db),
    actions: createActionRows(db),
    approvals: createApprovalQueue(db),
    state: createDaemonState(db),
    subscriptions: createSubscriptionStore(db),
    deliveries: createWebhookDeliveries(db),
    recall: createRecallSearch(db),
    transcripts: createTranscriptRows(db),
    pollCache: createPollCache(db),
    wakeupRows: createWakeupStore(db).rows,
  });
  return createSqliteStore(db, tx, { hold: journal.holdRendering, walSync: createWalSync(db), onCommit: checkpoints.noteCommit });
}
