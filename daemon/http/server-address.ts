import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const FILE = "http.json";

/** Where the daemon's server listens, for `vigil open` and the morning review's link. */
export interface ServerAddress {
  url: string;
  pid: number;
}

export function writeServerAddress(runDir: string, address: ServerAddress): void {
  writeFileSync(path.join(runDir, FILE), JSON.stringify(address), { mode: 0o600 });
}

/** The address a daemon wrote, or undefined when there is none (never started its server). */
export function readServerAddress(runDir: string): ServerAddress | undefined {
  try {
    return JSON.parse(readFileSync(path.join(runDir, FILE), "utf8")) as ServerAddress;
  } catch {
    return undefined;
  }
}
