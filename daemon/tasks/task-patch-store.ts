import type { VigilDatabase } from "../store/open-database.js";
import type { TaskPatch } from "./read-task-series.js";
import type { TaskPatchEncoding } from "./task-patch-schema.js";

export interface StoredTaskPatch extends TaskPatch {
  /** 1-based: the order `git am` applies them in. */
  position: number;
}

export interface TaskPatchStore {
  /** The series of a task that just ended; call it inside that transaction. A series is written once. */
  save(taskId: number, patches: readonly TaskPatch[]): void;
  list(taskId: number): StoredTaskPatch[];
  /** Why a task's series is not in the store, as its end's journal row says; undefined when it is, or was never tried. */
  missingReason(task: { id: number; endedAt: string | null }): string | undefined;
}

interface PatchRow {
  position: number;
  commit_sha: string;
  subject: string;
  patch_encoding: TaskPatchEncoding;
  patch: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The task_patches table (daemon/tasks/task-patch-schema.ts). */
export function createTaskPatchStore(db: VigilDatabase): TaskPatchStore {
  return {
    save(taskId, patches) {
      const insert = db.prepare("INSERT INTO task_patches (task_id, position, commit_sha, subject, patch_encoding, patch) VALUES (?, ?, ?, ?, ?, ?)");
      patches.forEach((patch, i) => {
        const { encoding, text } = _encode(patch.patch);
        insert.run(taskId, i + 1, patch.commit, patch.subject, encoding, text);
      });
    },
    list: (taskId) =>
      db
        .prepare<[number], PatchRow>("SELECT position, commit_sha, subject, patch_encoding, patch FROM task_patches WHERE task_id = ? ORDER BY position")
        .all(taskId)
        .map((row) => ({ position: row.position, commit: row.commit_sha, subject: row.subject, patch: row.patch_encoding === "utf8" ? Buffer.from(row.patch, "utf8") : Buffer.from(row.patch, "base64") })),
    missingReason({ id, endedAt }) {
      if (!endedAt) return undefined;
      // The row that ended it is of its end's day, in whatever zone the journal keeps: a day either side covers every zone, and the day index finds them.
      const since = new Date(Date.parse(endedAt) - DAY_MS).toISOString().slice(0, 10);
      const data = db
        .prepare<[string, number], string>("SELECT data FROM journal WHERE day >= ? AND kind = 'task' AND json_extract(data, '$.taskId') = ? AND json_extract(data, '$.series.stored') = 0 ORDER BY seq DESC LIMIT 1")
        .pluck()
        .get(since, id);
      return data === undefined ? undefined : String((JSON.parse(data) as { series: { reason?: unknown } }).series.reason);
    },
  };
}

/** UTF-8 text without NUL is kept as it is (readable in the database); anything else as base64, byte for byte. */
function _encode(bytes: Buffer): { encoding: TaskPatchEncoding; text: string } {
  try {
    const text = STRICT_UTF8.decode(bytes);
    if (!text.includes("\u0000")) return { encoding: "utf8", text };
  } catch {
    // not UTF-8
  }
  return { encoding: "base64", text: bytes.toString("base64") };
}
