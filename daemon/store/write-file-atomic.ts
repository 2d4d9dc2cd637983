import { randomUUID } from "node:crypto";
import { renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PRIVATE_FILE_MODE } from "./private-files.js";

export interface WriteFileAtomicOptions {
  /**
   * The new file's mode: private (0600) by default, for everything under VIGIL_HOME; "keep" for a
   * user's own file in a workspace, which keeps the mode it had (0666 less the umask when new).
   */
  mode?: number | "keep";
}

/** Write to a temporary file beside the target, then rename: readers see the old or the new file, never half. */
export function writeFileAtomic(file: string, content: string | Buffer, { mode = PRIVATE_FILE_MODE }: WriteFileAtomicOptions = {}): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    // The mode is given at creation (less the umask), never by a later chmod: a watcher would see
    // that as one more change of the file.
    writeFileSync(temporary, content, { flag: "wx", mode: mode === "keep" ? (_modeOf(file) ?? 0o666) : mode });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function _modeOf(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}
