/**
 * A task's commits as a patch series (issue 22): one row per commit, in the order `git am` applies
 * them, written once when the task ends and never changed, so `vigil task show` and `apply` work
 * when the task's branch is gone or was never in this checkout. The series starts at the task's
 * `base_commit`. `patch` is `git format-patch` output: as it is when it is UTF-8 text
 * (`patch_encoding` 'utf8'), else base64 ('base64'), since a patch carries the user's files in
 * whatever encoding they have and text columns (PostgreSQL's above all) hold only UTF-8 without NUL.
 */
export const TASK_PATCH_ENCODINGS = ["utf8", "base64"] as const;
export type TaskPatchEncoding = (typeof TASK_PATCH_ENCODINGS)[number];

export const TASK_PATCH_SCHEMA = `
CREATE TABLE task_patches (
  task_id        INTEGER NOT NULL,
  position       INTEGER NOT NULL,
  commit_sha     TEXT NOT NULL,
  subject        TEXT NOT NULL,
  patch_encoding TEXT NOT NULL CHECK (patch_encoding IN (${TASK_PATCH_ENCODINGS.map((encoding) => `'${encoding}'`).join(", ")})),
  patch          TEXT NOT NULL,
  PRIMARY KEY (task_id, position)
);
`;
