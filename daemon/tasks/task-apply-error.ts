/** Why `vigil task apply` did not apply a task, and what to do about it: said to the user as it is. */
export class TaskApplyError extends Error {
  override name = "TaskApplyError";
}
