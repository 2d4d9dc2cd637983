import { EVENT_QUARANTINE_MIGRATION, EVENT_SCHEMA } from "../events/event-schema.js";
import { JOURNAL_SCHEMA, rebuildJournalSql } from "../../logs/journal-schema.js";
import { APPROVAL_SCHEMA } from "../policy/approval-schema.js";
import { SUBSCRIPTION_SCHEMA } from "../github/subscription-schema.js";
import { POLL_CACHE_SCHEMA } from "../github/poll-cache-schema.js";
import { WEBHOOK_DELIVERY_SCHEMA } from "../http/webhook-delivery-schema.js";
import { TURN_SCHEMA } from "../brain/turn-schema.js";
import { USAGE_SCHEMA } from "../brain/usage-schema.js";
import { WAKEUP_MISSED_MIGRATION, WAKEUP_SCHEMA } from "../events/wakeup-schema.js";
import { DAEMON_STATE_SCHEMA } from "../state/daemon-state-schema.js";
import { ACTION_SCHEMA } from "../tools/action-schema.js";
import type { Migration } from "../store/open-database.js";
import { JOURNAL_TO_RECALL_TRIGGER, RECALL_BATCH_MIGRATION, RECALL_SCHEMA } from "../../memory/recall-schema.js";
import { MEMORY_VERSION_SCHEMA } from "../../memory/memory-version-schema.js";
import { MAGIC_DOC_SCHEMA } from "../../memory/magic-doc-schema.js";
import { TASK_PATCH_SCHEMA } from "../tasks/task-patch-schema.js";
import { TASK_SCHEMA } from "../tasks/task-schema.js";

/**
 * Ordered schema history of `vigil.db`, composed here above the ground: each feature owns its table's
 * schema file, and the store knows none of them (it only applies a list it is given).
 * `PRAGMA user_version` records the last one applied. Append only.
 */
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
  // 9: the journal reaches the full-text index in batches (the per-row trigger goes).
  { version: 9, sql: RECALL_BATCH_MIGRATION },
  // 10: failed turns per event and the `quarantined` state (a rebuilt events table).
  { version: 10, sql: EVENT_QUARANTINE_MIGRATION },
  // 11: each task's commits as a patch series (issue 22), so show and apply outlive its branch.
  { version: 11, sql: TASK_PATCH_SCHEMA },
];
