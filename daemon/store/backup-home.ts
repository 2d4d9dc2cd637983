import { chmodSync, copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { create as createTar } from "tar";
import type { VigilDatabase } from "./open-database.js";

export interface BackupSources {
  db: VigilDatabase;
  memoryDir: string;
  configFile: string | undefined;
}

/**
 * One archive (`.tar.gz`, 0600) of what Vigil knows: a consistent online copy of the database
 * (SQLite's backup API, safe while the daemon writes), the memory folder and the config file.
 */
export async function backupHome({ db, memoryDir, configFile }: BackupSources, archive: string): Promise<string[]> {
  const stage = mkdtempSync(path.join(tmpdir(), "vigil-backup-"));
  try {
    const entries = ["vigil.db"];
    await db.backup(path.join(stage, "vigil.db"));
    if (existsSync(memoryDir)) {
      cpSync(memoryDir, path.join(stage, "memory"), { recursive: true });
      entries.push("memory");
    }
    if (configFile && existsSync(configFile)) {
      copyFileSync(configFile, path.join(stage, "config.yaml"));
      entries.push("config.yaml");
    }
    await createTar({ gzip: true, file: archive, cwd: stage, portable: true }, entries);
    chmodSync(archive, 0o600);
    return entries;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
