import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measure, type BenchFigure } from "./measure.js";

const VIGIL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../daemon/cli/main.cjs");
const WINDOW_MS = 60_000;
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** user+system CPU seconds of a process, from /proc. */
function _cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function _rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
}

/** Starts the real daemon (rules provider, defaults otherwise), measures time to ready, then idles it. */
async function _sample(config: string, setup: (dir: string) => void): Promise<{ readyMs: number; cpuPerMinuteS: number; rssMiB: number }> {
  // The watched tree sits beside VIGIL_HOME, not in it: Vigil never watches its own home.
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-idle-"));
  const home = path.join(dir, "home");
  mkdirSync(home);
  setup(dir);
  writeFileSync(path.join(home, "config.yaml"), config.replaceAll("{{DIR}}", dir));
  const started = process.hrtime.bigint();
  const daemon = spawn(process.execPath, [VIGIL_BIN, "start"], { env: { PATH: process.env.PATH, HOME: home, VIGIL_HOME: home, VIGIL_LOG_LEVEL: "warn", HOOK: "bench-secret" }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  daemon.stderr!.on("data", (chunk) => (stderr += chunk));
  while (!stderr.includes("running (pid")) await new Promise((resolve) => setTimeout(resolve, 5));
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuBefore = _cpuSeconds(daemon.pid!);
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const cpuPerMinuteS = ((_cpuSeconds(daemon.pid!) - cpuBefore) * 60_000) / WINDOW_MS;
  const rssMiB = _rssMiB(daemon.pid!);
  daemon.kill("SIGTERM");
  await new Promise((resolve) => daemon.on("exit", resolve));
  rmSync(dir, { recursive: true, force: true });
  return { readyMs, cpuPerMinuteS, rssMiB };
}

function _tree(root: string, files: number): void {
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, "tree", `pkg${i % 50}`, `mod${i % 20}`);
    if (i < 1000) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `file${i}.ts`), `export const n = ${i};\n`);
  }
}

/** Idle footprint (RSS, CPU per minute over 60 s) and cold start to ready, 3 runs each. */
export async function benchIdleFootprint(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const variants: Array<[string, string, (home: string) => void]> = [
    ["no watch roots", "server: { port: 0 }\n", () => {}],
    ["5,000-file root + webhooks", "server: { port: 0 }\nwatch: [ { path: {{DIR}}/tree } ]\ngithub: { webhooks: { enabled: true, secret: env:HOOK } }\n", (dir) => _tree(dir, 5000)],
  ];
  for (const [label, config, setup] of variants) {
    const samples: Array<Awaited<ReturnType<typeof _sample>>> = [];
    for (let run = 0; run < 3; run++) samples.push(await _sample(config, setup));
    let i = 0;
    figures.push(await measure(`idle daemon, ${label}: cold start to ready`, "ms", 3, () => samples[i++]!.readyMs));
    i = 0;
    figures.push(await measure(`idle daemon, ${label}: CPU per minute`, "s", 3, () => samples[i++]!.cpuPerMinuteS));
    i = 0;
    figures.push(await measure(`idle daemon, ${label}: RSS after 60 s`, "MiB", 3, () => samples[i++]!.rssMiB));
  }
  return figures;
}
