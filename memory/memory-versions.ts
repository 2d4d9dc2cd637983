import type { VigilDatabase } from "../daemon/store/open-database.js";
import { readMemorySnapshot, sameSnapshot, type MemorySnapshot } from "./memory-snapshot.js";

export interface MemoryVersion {
  version: number;
  ts: string;
  reason: string;
  files: MemorySnapshot;
}

/**
 * Every state the memory has been in, as whole snapshots (the memory is small by design: the
 * index is capped at 25 KB). `capture` records the files as they are now unless that is already
 * the newest version, so calling it before and after a change versions both sides, including
 * hand edits made between two changes.
 */
export function createMemoryVersions(db: VigilDatabase, memoryDir: string) {
  const insert = db.prepare("INSERT INTO memory_versions (ts, reason, files) VALUES (?, ?, ?)");
  const selectLatest = db.prepare<[], _Row>("SELECT * FROM memory_versions ORDER BY version DESC LIMIT 1");
  const selectOne = db.prepare<[number], _Row>("SELECT * FROM memory_versions WHERE version = ?");
  const selectRecent = db.prepare<[number], _Row>("SELECT * FROM memory_versions ORDER BY version DESC LIMIT ?");
  const versions = {
    latest: (): MemoryVersion | undefined => _parse(selectLatest.get()),
    get: (version: number): MemoryVersion | undefined => _parse(selectOne.get(version)),
    /** Newest first. */
    list: (limit = 20): MemoryVersion[] => selectRecent.all(limit).map((row) => _parse(row)!),
    capture(reason: string, now: Date, files: MemorySnapshot = readMemorySnapshot(memoryDir)): number {
      const latest = versions.latest();
      if (latest && sameSnapshot(latest.files, files)) return latest.version;
      return Number(insert.run(now.toISOString(), reason, JSON.stringify(files)).lastInsertRowid);
    },
  };
  return versions;
}

export type MemoryVersions = ReturnType<typeof createMemoryVersions>;

interface _Row {
  version: number;
  ts: string;
  reason: string;
  files: string;
}

function _parse(row: _Row | undefined): MemoryVersion | undefined {
  return row && { ...row, files: JSON.parse(row.files) as MemorySnapshot };
}
