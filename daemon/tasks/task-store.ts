import type { Journal } from "../../logs/journal.js";
import type { TokenUsage } from "../brain/usage-ledger.js";
import type { VigilDatabase } from "../store/open-database.js";
import type { TaskSeries } from "./read-task-series.js";
import { createTaskPatchStore } from "./task-patch-store.js";
import type { TaskState } from "./task-schema.js";

export interface TaskRecord {
  id: number;
  repo: string;
  repoDir: string;
  ref: string | null;
  baseCommit: string;
  goal: string;
  state: TaskState;
  branch: string;
  worktree: string | null;
  attempt: number;
  workerPid: number | null;
  maxSteps: number;
  maxTokens: number;
  timeoutMs: number;
  steps: number;
  usage: TokenUsage;
  model: string;
  summary: string | null;
  diffstat: string | null;
  testTail: string | null;
  headCommit: string | null;
  turnId: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface NewTask {
  repo: string;
  repoDir: string;
  ref: string | null;
  baseCommit: string;
  goal: string;
  maxSteps: number;
  maxTokens: number;
  timeoutMs: number;
  model: string;
  turnId: string | null;
}

/** What a run left behind, whatever its end. */
export interface TaskResult {
  summary: string;
  diffstat: string;
  testTail: string;
  headCommit: string | null;
  /** Its commits as a patch series, kept in the store beside the row (absent: nothing was committed). */
  series?: TaskSeries;
}

export interface TaskStore {
  create(task: NewTask, now: Date): TaskRecord;
  get(id: number): TaskRecord | undefined;
  list(options?: { states?: readonly TaskState[]; limit?: number }): TaskRecord[];
  /** The oldest queued task, moved to running in one transaction, or nothing (so no task runs twice). */
  claimNext(worktreeOf: (id: number) => string, now: Date): TaskRecord | undefined;
  setWorker(id: number, pid: number | null): void;
  recordStep(id: number, steps: number, usage: TokenUsage): void;
  /** Ends a running task; false when it was no longer running (cancelled meanwhile). */
  finish(id: number, state: "done" | "failed", result: TaskResult, now: Date): boolean;
  /** Cancels a queued or running task; false when it had already ended. */
  cancel(id: number, now: Date): boolean;
  /** Every running task of a process that died: interrupted, then queued again or failed. */
  recoverInterrupted(retries: number, now: Date): Array<{ task: TaskRecord; requeued: boolean }>;
  /** Ended tasks whose worktree is still on disk. */
  finishedWithWorktree(): TaskRecord[];
  clearWorktree(id: number): void;
}

interface TaskRow {
  id: number;
  repo: string;
  repo_dir: string;
  ref: string | null;
  base_commit: string;
  goal: string;
  state: TaskState;
  branch: string;
  worktree: string | null;
  attempt: number;
  worker_pid: number | null;
  max_steps: number;
  max_tokens: number;
  timeout_ms: number;
  steps: number;
  input_tokens: number;
  output_tokens: number;
  cache_read: number;
  cache_write: number;
  model: string;
  summary: string | null;
  diffstat: string | null;
  test_tail: string | null;
  head_commit: string | null;
  turn_id: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
}

export function taskBranch(id: number): string {
  return `vigil/task-${id}`;
}

/** The tasks table; every change of state is a `task` journal row in the same transaction. */
export function createTaskStore({ db, journal }: { db: VigilDatabase; journal: Journal }): TaskStore {
  const byId = db.prepare<[number], TaskRow>("SELECT * FROM tasks WHERE id = ?");
  const get = (id: number) => {
    const row = byId.get(id);
    return row ? _toRecord(row) : undefined;
  };
  const note = (task: TaskRecord, from: TaskState | null, to: TaskState, summary: string, extra: Record<string, unknown> = {}) =>
    journal.append({ kind: "task", summary: `task #${task.id} ${summary}`, data: { taskId: task.id, from, to, repo: task.repo, branch: task.branch, attempt: task.attempt, ...extra } });
  const transaction = <T>(run: () => T): T => db.transaction(run).immediate();
  const patches = createTaskPatchStore(db);
  return {
    create: (task, now) =>
      transaction(() => {
        const id = Number(
          db
            .prepare(
              `INSERT INTO tasks (repo, repo_dir, ref, base_commit, goal, state, branch, max_steps, max_tokens, timeout_ms, model, turn_id, created_at)
               VALUES (?, ?, ?, ?, ?, 'queued', '', ?, ?, ?, ?, ?, ?)`,
            )
            .run(task.repo, task.repoDir, task.ref, task.baseCommit, task.goal, task.maxSteps, task.maxTokens, task.timeoutMs, task.model, task.turnId, now.toISOString()).lastInsertRowid,
        );
        db.prepare("UPDATE tasks SET branch = ? WHERE id = ?").run(taskBranch(id), id);
        const record = get(id)!;
        note(record, null, "queued", `queued for ${task.repo} at ${task.baseCommit.slice(0, 12)}: ${task.goal.slice(0, 160)}`, { goal: task.goal, baseCommit: task.baseCommit, ref: task.ref });
        return record;
      }),
    get,
    list({ states, limit = 200 } = {}) {
      const where = states?.length ? `WHERE state IN (${states.map(() => "?").join(", ")})` : "";
      return db.prepare<unknown[], TaskRow>(`SELECT * FROM tasks ${where} ORDER BY id DESC LIMIT ?`).all(...(states ?? []), limit).map(_toRecord);
    },
    claimNext: (worktreeOf, now) =>
      transaction(() => {
        const row = db.prepare<[], TaskRow>("SELECT * FROM tasks WHERE state = 'queued' ORDER BY id LIMIT 1").get();
        if (!row) return undefined;
        db.prepare("UPDATE tasks SET state = 'running', attempt = attempt + 1, worktree = ?, started_at = ?, worker_pid = NULL WHERE id = ? AND state = 'queued'").run(worktreeOf(row.id), now.toISOString(), row.id);
        const record = get(row.id)!;
        note(record, "queued", "running", `running (attempt ${record.attempt}) in ${record.worktree}`, { worktree: record.worktree });
        return record;
      }),
    setWorker: (id, pid) => void db.prepare("UPDATE tasks SET worker_pid = ? WHERE id = ?").run(pid, id),
    recordStep: (id, steps, usage) =>
      void db.prepare("UPDATE tasks SET steps = ?, input_tokens = ?, output_tokens = ?, cache_read = ?, cache_write = ? WHERE id = ?").run(steps, usage.input, usage.output, usage.cacheRead, usage.cacheWrite, id),
    finish: (id, state, result, now) =>
      transaction(() => {
        const changed = db
          .prepare("UPDATE tasks SET state = ?, summary = ?, diffstat = ?, test_tail = ?, head_commit = ?, ended_at = ?, worker_pid = NULL WHERE id = ? AND state = 'running'")
          .run(state, result.summary, result.diffstat, result.testTail, result.headCommit, now.toISOString(), id).changes;
        if (changed === 0) return false;
        if (result.series?.stored) patches.save(id, result.series.patches);
        const record = get(id)!;
        note(record, "running", state, `${state}: ${result.summary.slice(0, 200)}`, { summary: result.summary, diffstat: result.diffstat, headCommit: result.headCommit, steps: record.steps, ...(result.series ? { series: _seriesNote(result.series) } : {}) });
        return true;
      }),
    cancel: (id, now) =>
      transaction(() => {
        const before = get(id);
        if (!before || !["queued", "running", "interrupted"].includes(before.state)) return false;
        db.prepare("UPDATE tasks SET state = 'cancelled', ended_at = ? WHERE id = ?").run(now.toISOString(), id);
        note(before, before.state, "cancelled", "cancelled by the user");
        return true;
      }),
    recoverInterrupted: (retries, now) =>
      transaction(() =>
        db
          .prepare<[], TaskRow>("SELECT * FROM tasks WHERE state = 'running' ORDER BY id")
          .all()
          .map((row) => {
            const task = _toRecord(row);
            db.prepare("UPDATE tasks SET state = 'interrupted', worker_pid = NULL WHERE id = ?").run(task.id);
            note(task, "running", "interrupted", `interrupted: the daemon stopped during attempt ${task.attempt}`);
            const requeued = task.attempt <= retries;
            if (requeued) {
              db.prepare("UPDATE tasks SET state = 'queued' WHERE id = ?").run(task.id);
              note(task, "interrupted", "queued", "queued again: it will start over from a fresh worktree");
            } else {
              const summary = `interrupted ${task.attempt} time(s); tasks.retryInterrupted is ${retries}, so it is not retried`;
              db.prepare("UPDATE tasks SET state = 'failed', summary = ?, ended_at = ? WHERE id = ?").run(summary, now.toISOString(), task.id);
              note(task, "interrupted", "failed", `failed: ${summary}`, { summary });
            }
            return { task, requeued };
          }),
      ),
    finishedWithWorktree: () =>
      db.prepare<[], TaskRow>("SELECT * FROM tasks WHERE worktree IS NOT NULL AND state IN ('done', 'failed', 'cancelled') ORDER BY id").all().map(_toRecord),
    clearWorktree: (id) => void db.prepare("UPDATE tasks SET worktree = NULL WHERE id = ?").run(id),
  };
}

/** What the journal says of a series: its size when kept, else why not (what `vigil task show` repeats). */
function _seriesNote(series: TaskSeries): Record<string, unknown> {
  return series.stored ? { stored: true, commits: series.patches.length, bytes: series.bytes } : { stored: false, reason: series.reason };
}

function _toRecord(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    repo: row.repo,
    repoDir: row.repo_dir,
    ref: row.ref,
    baseCommit: row.base_commit,
    goal: row.goal,
    state: row.state,
    branch: row.branch,
    worktree: row.worktree,
    attempt: row.attempt,
    workerPid: row.worker_pid,
    maxSteps: row.max_steps,
    maxTokens: row.max_tokens,
    timeoutMs: row.timeout_ms,
    steps: row.steps,
    usage: { calls: row.steps, input: row.input_tokens, output: row.output_tokens, cacheRead: row.cache_read, cacheWrite: row.cache_write },
    model: row.model,
    summary: row.summary,
    diffstat: row.diffstat,
    testTail: row.test_tail,
    headCommit: row.head_commit,
    turnId: row.turn_id,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}
