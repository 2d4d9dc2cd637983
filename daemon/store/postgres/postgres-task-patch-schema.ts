/**
 * A task's commits as a patch series (daemon/tasks/task-patch-schema.ts): written once when the
 * task ends, read by `vigil task show` and `apply` on any node; never updated or deleted.
 */
export function postgresTaskPatchSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.task_patches (
  task_id        bigint NOT NULL,
  position       bigint NOT NULL,
  commit_sha     text NOT NULL,
  subject        text NOT NULL,
  patch_encoding text NOT NULL CHECK (patch_encoding IN ('utf8', 'base64')),
  patch          text NOT NULL,
  PRIMARY KEY (task_id, position)
);
GRANT SELECT, INSERT ON vigil.task_patches TO ${runtimeRole};
`;
}
