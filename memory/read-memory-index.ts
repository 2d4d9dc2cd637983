import { readFileSync } from "node:fs";
import path from "node:path";

/** `memory/MEMORY.md`, the index that rides in every prompt's cached front; empty when absent. */
export function readMemoryIndex(memoryDir: string): string {
  try {
    return readFileSync(path.join(memoryDir, "MEMORY.md"), "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}
