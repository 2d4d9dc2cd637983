/**
 * The durable tasks table: one row per task the heartbeat handed off. `attempt` counts runs (a
 * retry after a crash is attempt 2); `worker_pid` is the child running it now, so two workers
 * never hold one task.
 */
export const TASK_STATES = ["queued", "running", "done", "failed", "cancelled", "interrupted"] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const TASK_SCHEMA = `
CREATE TABLE tasks (
  id            INTEGER PRIMARY KEY,
  repo          TEXT NOT NULL,
  repo_dir      TEXT NOT NULL,
  ref           TEXT,
  base_commit   TEXT NOT NULL,
  goal          TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN (${TASK_STATES.map((state) => `'${state}'`).join(", ")})),
  branch        TEXT NOT NULL,
  worktree      TEXT,
  attempt       INTEGER NOT NULL DEFAULT 0,
  worker_pid    INTEGER,
  max_steps     INTEGER NOT NULL,
  max_tokens    INTEGER NOT NULL,
  timeout_ms    INTEGER NOT NULL,
  steps         INTEGER NOT NULL DEFAULT 0,
  input_tokens  INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read    INTEGER NOT NULL DEFAULT 0,
  cache_write   INTEGER NOT NULL DEFAULT 0,
  model         TEXT NOT NULL,
  summary       TEXT,
  diffstat      TEXT,
  test_tail     TEXT,
  head_commit   TEXT,
  turn_id       TEXT,
  created_at    TEXT NOT NULL,
  started_at    TEXT,
  ended_at      TEXT
);
CREATE INDEX tasks_by_state ON tasks (state, id);
`;
