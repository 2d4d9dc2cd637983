import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measure, type BenchFigure } from "./measure.js";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "watch-worker.js");

function _tree(files: number): string {
  const root = mkdtempSync(path.join(tmpdir(), "vigil-watch-bench-"));
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, `pkg${i % 50}`, `mod${i % 20}`);
    if (i < 1000) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `file${i}.ts`), `export const n = ${i};\n`);
  }
  return root;
}

/** Time until chokidar reports ready, and the watcher process's RSS, on trees of 5,000 and 20,000 files. */
export async function benchWatch(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const files of [5_000, 20_000]) {
    const root = _tree(files);
    const samples = Array.from({ length: 3 }, () => JSON.parse(execFileSync(process.execPath, ["--expose-gc", WORKER, root], { encoding: "utf8" })) as { readyMs: number; rssMiB: number });
    let i = 0;
    figures.push(await measure(`file watcher: time to ready, ${files.toLocaleString("en-US")} files`, "ms", samples.length, () => samples[i++]!.readyMs));
    i = 0;
    figures.push(await measure(`file watcher: process RSS when ready, ${files.toLocaleString("en-US")} files`, "MiB", samples.length, () => samples[i++]!.rssMiB));
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}
