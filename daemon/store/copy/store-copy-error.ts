/** A copy refused or undone (a target not empty, a journal that does not verify, …); the message says what to do. Nothing was written. */
export class StoreCopyError extends Error {
  override name = "StoreCopyError";
}
