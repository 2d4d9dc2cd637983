import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TokenUsage } from "../daemon/brain/usage-ledger.js";
import type { DreamTask, WorkerMessage } from "./dream-protocol.js";

export type WorkerOutcome = { ok: true; summary: string; steps: number } | { ok: false; reason: string };

export interface ForkOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  onUsage: (model: string, usage: TokenUsage) => void;
  workerPath?: string;
}

/**
 * Runs the dream worker as a child process and settles with its outcome, never throwing: a crash,
 * a kill, a timeout (the child is killed) or a stop (same) is a failure with its reason.
 */
export function forkDreamWorker(task: DreamTask, { env, timeoutMs, signal, onUsage, workerPath = defaultWorkerPath() }: ForkOptions): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    let outcome: WorkerOutcome | undefined;
    const child = fork(workerPath, [], { env, execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const stop = (reason: string) => {
      outcome ??= { ok: false, reason };
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop(`timed out after ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    const onAbort = () => stop("stopped with the daemon");
    signal?.addEventListener("abort", onAbort, { once: true });
    child.on("message", (message: WorkerMessage) => {
      if (message.type === "usage") onUsage(message.model, message.usage);
      else if (message.type === "done") outcome ??= { ok: true, summary: message.summary, steps: message.steps };
      else outcome ??= { ok: false, reason: `the model call failed: ${message.error}` };
    });
    child.on("error", (error) => {
      outcome ??= { ok: false, reason: `could not run the dream worker: ${error.message}` };
    });
    child.on("exit", (code, killedBy) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(outcome ?? { ok: false, reason: killedBy ? `the dream worker was killed by ${killedBy}` : `the dream worker exited with code ${code} before finishing` });
    });
    child.send(task);
  });
}

/** The compiled worker next to this file, or under dist/ when this file runs from source (tests). */
export function defaultWorkerPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, "dream-worker.js");
  return existsSync(beside) ? beside : path.resolve(here, "../dist/memory/dream-worker.js");
}
