import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { makePrivateDir } from "../daemon/store/private-files.js";
import path from "node:path";
import { writeFileAtomic } from "../daemon/store/write-file-atomic.js";

/** The memory's files by path relative to `memory/` (`MEMORY.md`, `topics/x.md`) with their exact content. */
export type MemorySnapshot = Record<string, string>;

export const INDEX_FILE = "MEMORY.md";
/** A topic's path in a snapshot; the group is the topic's name. */
export const TOPIC_FILE = /^topics\/([a-z0-9][a-z0-9-]*)\.md$/;

export function readMemorySnapshot(memoryDir: string): MemorySnapshot {
  const snapshot: MemorySnapshot = {};
  const index = path.join(memoryDir, INDEX_FILE);
  if (existsSync(index)) snapshot[INDEX_FILE] = readFileSync(index, "utf8");
  for (const name of _topicNames(memoryDir)) snapshot[`topics/${name}`] = readFileSync(path.join(memoryDir, "topics", name), "utf8");
  return snapshot;
}

/**
 * Makes the memory directory hold exactly `snapshot`. Order keeps every index line pointing at a
 * file at each moment: new and changed topics first, then the index, then removed topics. Each
 * file is replaced atomically and an unchanged file is not touched (its age stays honest).
 */
export function writeMemorySnapshot(memoryDir: string, snapshot: MemorySnapshot): void {
  makePrivateDir(path.join(memoryDir, "topics"));
  const current = readMemorySnapshot(memoryDir);
  const write = (file: string) => {
    if (current[file] !== snapshot[file]) writeFileAtomic(path.join(memoryDir, file), snapshot[file]!);
  };
  Object.keys(snapshot).filter((file) => file !== INDEX_FILE).forEach(write);
  if (INDEX_FILE in snapshot) write(INDEX_FILE);
  else rmSync(path.join(memoryDir, INDEX_FILE), { force: true });
  for (const file of Object.keys(current)) if (!(file in snapshot)) rmSync(path.join(memoryDir, file), { force: true });
}

export function sameSnapshot(a: MemorySnapshot, b: MemorySnapshot): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function _topicNames(memoryDir: string): string[] {
  try {
    return readdirSync(path.join(memoryDir, "topics")).filter((name) => name.endsWith(".md")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
