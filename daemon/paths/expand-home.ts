import os from "node:os";
import path from "node:path";

/** A config path with a leading `~` made absolute against the user's home. */
export function expandHome(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(file.replace(/^~(?=$|\/)/, env.HOME ?? os.homedir()));
}
