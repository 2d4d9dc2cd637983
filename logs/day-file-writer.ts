import { closeSync, constants, fstatSync, openSync, statSync, writeSync } from "node:fs";

export interface DayFileWriter {
  /** Appends `text` to `file`; false (nothing written) when the file is not there, so the caller rebuilds it. */
  append(file: string, text: string): boolean;
  /** Forgets the open file (after the caller rewrote it whole). */
  release(): void;
}

/**
 * Keeps today's Markdown file open between appends: a burst of journal rows (webhook deliveries
 * sharing a commit) then costs a stat and a write each, not also an open and a close. The stat
 * must still name the inode that is open: a file the user deleted, moved or replaced meanwhile is
 * reported missing (or reopened) as it was before.
 */
export function createDayFileWriter(): DayFileWriter {
  let open: { file: string; fd: number; ino: number } | undefined;
  const release = () => {
    if (open) closeSync(open.fd);
    open = undefined;
  };
  const _fdFor = (file: string): number | undefined => {
    if (open?.file === file && statSync(file, { throwIfNoEntry: false })?.ino === open.ino) return open.fd;
    release();
    try {
      // Append to an existing file only (no O_CREAT): a missing one is the caller's to rebuild whole.
      // O_APPEND keeps lines whole and in order beside another process's appends (`vigil tell`).
      const fd = openSync(file, constants.O_WRONLY | constants.O_APPEND);
      open = { file, fd, ino: fstatSync(fd).ino };
    } catch {
      return undefined;
    }
    return open.fd;
  };
  return {
    append: (file, text) => {
      const fd = _fdFor(file);
      if (fd === undefined) return false;
      writeSync(fd, text);
      return true;
    },
    release,
  };
}
