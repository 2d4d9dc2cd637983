import { spawn } from "node:child_process";

/**
 * A journal-appending child (test/support/*append-worker.mjs) that says it is ready over IPC, waits
 * for "go", and prints each seq it appended: several of them started together race for the chain.
 */
export function spawnAppendWorker(worker: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [worker, ...args], { stdio: ["ignore", "pipe", "pipe", "ipc"], env });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve) => child.once("message", () => resolve()));
  return { child, exited, ready, go: () => child.send("go"), seqs: () => stdout.split("\n").filter(Boolean).map(Number), stderr: () => stderr };
}
