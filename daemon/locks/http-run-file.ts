import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../store/write-file-atomic.js";
import { isSameProcess } from "./process-identity.js";

/** What the daemon's HTTP server is doing, for the verbs that ask (`vigil status`, `vigil doctor`). */
export interface HttpRunState {
  pid: number;
  /** The daemon's kernel start time (readProcessStart): tells a reused pid from the daemon. */
  procStart?: string;
  /** host:port the config asks for. */
  address: string;
  listening: boolean;
  /** Where the server listens; only when listening. */
  url?: string;
  /** Why it is not listening, what that turns off, and what to do. */
  problem?: { code: string | null; reason: string; off: string[]; fix: string };
}

const FILE = "http.json";

export function writeHttpRunState(runDir: string, state: HttpRunState): void {
  writeFileAtomic(path.join(runDir, FILE), JSON.stringify(state));
}

/**
 * The running daemon's HTTP state; undefined when there is none, or when the file is stale (left
 * by a crash: its pid is gone, or now belongs to another process).
 */
export function readHttpRunState(runDir: string): HttpRunState | undefined {
  try {
    const state = JSON.parse(readFileSync(path.join(runDir, FILE), "utf8")) as HttpRunState;
    return Number.isInteger(state.pid) && isSameProcess(state.pid, state.procStart) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** A clean stop removes the file; so does a start, as whatever is there was left by a crash. */
export function removeHttpRunState(runDir: string): void {
  rmSync(path.join(runDir, FILE), { force: true });
}
