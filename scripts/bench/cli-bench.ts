import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure } from "./measure.js";

const VIGIL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../daemon/cli/main.cjs");
const RUNS = 15;

/** Wall time of one child process from spawn to exit, in ms. */
function _wall(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    spawn(process.execPath, args, { env, stdio: "ignore" }).on("exit", (code) =>
      code === 0 || args[0] !== VIGIL_BIN || args[1] === "status" ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`${args.join(" ")} exited ${code}`)),
    );
  });
}

function _median(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return { median: sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2, min: sorted[0]!, max: sorted.at(-1)! };
}

/**
 * One-shot verbs against a bare `node -e 0`, interleaved in the same run so machine load hits
 * all three alike; the ratio is of the medians. `status` with no daemon running (exit 1) reads
 * the database alone; `tell` queues an event and nudges nobody.
 */
export async function benchCli(): Promise<BenchFigure[]> {
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  const env = { PATH: process.env.PATH, HOME: home, VIGIL_HOME: home };
  await _wall([VIGIL_BIN, "init"], env);
  const samples = { node: [] as number[], status: [] as number[], tell: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    samples.node.push(await _wall(["-e", "0"], env));
    samples.status.push(await _wall([VIGIL_BIN, "status"], env));
    samples.tell.push(await _wall([VIGIL_BIN, "tell", `bench ${i}`], env));
  }
  rmSync(home, { recursive: true, force: true });
  const node = _median(samples.node);
  const figure = (name: string, values: number[]): BenchFigure => ({ name, unit: "ms", ...(_median(values)), runs: RUNS });
  const ratio = (name: string, values: number[]): BenchFigure => {
    const value = _median(values).median / node.median;
    return { name, unit: "×", median: value, min: value, max: value, runs: 1 };
  };
  return [
    figure("cli: node -e 0, wall", samples.node),
    figure("cli: vigil status, wall", samples.status),
    figure("cli: vigil tell, wall", samples.tell),
    ratio("cli: vigil status / node -e 0", samples.status),
    ratio("cli: vigil tell / node -e 0", samples.tell),
  ];
}
