import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchCli } from "./cli-bench.js";
import { benchHeartbeat } from "./heartbeat-bench.js";
import { benchEventLatency } from "./event-latency-bench.js";
import { benchDream } from "./dream-bench.js";
import { benchEval } from "./eval-bench.js";
import { benchIdleFootprint } from "./idle-footprint-bench.js";
import { benchJournal } from "./journal-bench.js";
import { benchPostgres } from "./postgres-bench.js";
import { benchWatch } from "./watch-bench.js";
import { benchWebhooks } from "./webhook-bench.js";
import { benchTasks } from "./task-bench.js";
import { benchReach } from "./reach-bench.js";
import { benchReviewPage } from "./review-page-bench.js";
import { formatTable, type BenchFigure } from "./measure.js";

/** Every benchmark in scripts/bench/, one table on stdout and one JSON file for comparing commits. */
const BENCHES: Array<[string, () => Promise<BenchFigure[]>]> = [
  ["cli", benchCli],
  ["journal", benchJournal],
  ["heartbeat", benchHeartbeat],
  ["latency", benchEventLatency],
  ["dream", benchDream],
  ["webhooks", benchWebhooks],
  ["watch", benchWatch],
  ["idle", benchIdleFootprint],
  ["tasks", benchTasks],
  ["reach", benchReach],
  ["eval", benchEval],
  ["page", benchReviewPage],
  ["postgres", benchPostgres],
];

const only = process.argv.slice(2);
const figures: BenchFigure[] = [];
for (const [name, bench] of BENCHES) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`running ${name}…\n`);
  figures.push(...(await bench()));
}

const machine = { cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
console.log(`machine: ${machine.cpus}, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.platform}\n`);
console.log(formatTable(figures));
const out = path.resolve("bench-results", "latest.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), machine, figures }, null, 2));
console.log(`\nwritten to ${out}`);
