import { EVENT_SCHEMA } from "../events/event-schema.js";
import { JOURNAL_SCHEMA, rebuildJournalSql } from "../../logs/journal-schema.js";
import { APPROVAL_SCHEMA } from "../policy/approvals.js";
import { SUBSCRIPTION_SCHEMA } from "../github/subscriptions.js";
import { POLL_CACHE_SCHEMA } from "../github/github-poller.js";
import { WEBHOOK_DELIVERY_SCHEMA } from "../http/webhook-handler.js";
import { TURN_SCHEMA } from "../brain/turn-schema.js";
import { USAGE_SCHEMA } from "../brain/usage-ledger.js";
import { WAKEUP_MISSED_MIGRATION, WAKEUP_SCHEMA } from "../schedule/wakeups.js";
import { DAEMON_STATE_SCHEMA } from "../state/daemon-state.js";
import { ACTION_SCHEMA } from "../tools/action-ledger.js";
import { JOURNAL_TO_RECALL_TRIGGER, RECALL_SCHEMA } from "../../memory/recall-schema.js";
import { MEMORY_VERSION_SCHEMA } from "../../memory/memory-versions.js";
import { MAGIC_DOC_SCHEMA } from "../../memory/magic-doc-registry.js";
import { TASK_SCHEMA } from "../tasks/task-schema.js";

export interface Migration {
  version: number;
  sql: string;
}

/** Ordered schema history of `vigil.db`; `PRAGMA user_version` records the last one applied. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, sql: JOURNAL_SCHEMA },
  { version: 2, sql: EVENT_SCHEMA },
  {
    version: 3,
    sql: [
      "ALTER TABLE events ADD COLUMN previous_turn TEXT;",
      DAEMON_STATE_SCHEMA,
      USAGE_SCHEMA,
      ACTION_SCHEMA,
      WAKEUP_SCHEMA,
      TURN_SCHEMA,
    ].join("\n"),
  },
  { version: 4, sql: [SUBSCRIPTION_SCHEMA, WEBHOOK_DELIVERY_SCHEMA, POLL_CACHE_SCHEMA].join("\n") },
  { version: 5, sql: WAKEUP_MISSED_MIGRATION },
  { version: 6, sql: APPROVAL_SCHEMA },
  { version: 7, sql: [RECALL_SCHEMA, MEMORY_VERSION_SCHEMA, MAGIC_DOC_SCHEMA].join("\n") },
  // 8: the `task` journal kind (a rebuilt journal table) and the tasks table.
  { version: 8, sql: [rebuildJournalSql([{ name: "journal_to_recall", sql: JOURNAL_TO_RECALL_TRIGGER }]), TASK_SCHEMA].join("\n") },
];
