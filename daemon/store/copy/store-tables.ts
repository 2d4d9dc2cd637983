/** A table `vigil store copy` carries, and the key its rows are read in order of. */
export interface StoreTable {
  name: string;
  key: readonly string[];
}

/**
 * Every table of the store, as both dialects have it, in the order a copy carries them. A table in
 * a source or target that is in none of these lists stops the copy before it writes anything, so
 * a table added to one dialect and not here (or not to the other) is never silently left behind.
 */
export const COPIED_TABLES: readonly StoreTable[] = [
  { name: "journal", key: ["seq"] },
  { name: "events", key: ["id"] },
  { name: "daemon_state", key: ["key"] },
  { name: "usage", key: ["day", "model"] },
  { name: "actions", key: ["id"] },
  { name: "wakeups", key: ["id"] },
  { name: "turns", key: ["id"] },
  { name: "subscriptions", key: ["repo", "number"] },
  { name: "pr_heads", key: ["repo", "number"] },
  { name: "webhook_deliveries", key: ["id"] },
  { name: "poll_cache", key: ["url"] },
  { name: "approvals", key: ["id"] },
  { name: "transcripts", key: ["turn_id"] },
  { name: "recall_progress", key: ["id"] },
  { name: "memory_versions", key: ["version"] },
  { name: "magic_docs", key: ["path"] },
  { name: "tasks", key: ["id"] },
  { name: "task_patches", key: ["task_id", "position"] },
];

/** The full-text index: derived from the journal and transcripts, rebuilt on the target instead of copied. */
export const DERIVED_TABLES: readonly string[] = ["recall"];

/**
 * Rows a fresh schema already holds (its migrations seed them), with the condition that makes a
 * row more than the seed: a target whose only rows are seeds is empty, and the copy replaces them.
 */
export const SEEDED_ROWS: Readonly<Record<string, string>> = { recall_progress: "journal_seq <> 0" };
