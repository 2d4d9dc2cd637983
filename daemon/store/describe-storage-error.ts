/**
 * A sentence for a storage failure a person can fix (full disk, read-only file), or undefined for
 * anything else. SQLite rolls the transaction back, so nothing was half-written.
 */
export function describeStorageError(error: unknown): string | undefined {
  const code = String((error as { code?: unknown })?.code ?? "");
  if (code === "SQLITE_FULL" || code === "ENOSPC") return "the disk is full: nothing was written (the database is unharmed); free some space and try again";
  if (code.startsWith("SQLITE_READONLY") || code === "EROFS" || code === "EACCES") return `the database cannot be written (${code}): check the permissions of VIGIL_HOME; nothing was written`;
  if (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN")) return `the database could not be written (${code}): check the disk and VIGIL_HOME; nothing was written`;
  return undefined;
}
