import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { openContext } from "../../daemon/context/open-context.js";
import { createApprovalQueue } from "../../daemon/policy/approvals.js";
import { createUsageLedger } from "../../daemon/brain/usage-ledger.js";
import { shiftDay } from "../../logs/local-day.js";
import type { JournalInput } from "../../logs/journal-entry.js";
import { measure, type BenchFigure } from "./measure.js";

const VIGIL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../daemon/cli/main.cjs");
const ROWS = 2000;
const RUNS = 9;
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/**
 * The review page of a 2,000-row day, from a real daemon into Debian's Chromium, a logged-in
 * browser with a cold cache each run: first contentful paint, the first screen of the timeline
 * painted and every row in the page (the page's own marks, from navigation start), and every byte
 * over the wire (document, scripts, styles, chart library, API answers) once everything below the
 * fold has loaded too.
 */
export async function benchReviewPage(): Promise<BenchFigure[]> {
  const home = mkdtempSync(path.join(tmpdir(), "vigil-bench-page-"));
  writeFileSync(path.join(home, "config.yaml"), "timezone: UTC\nheartbeat: { idleWakeMinutes: 0, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\n");
  const env = { PATH: process.env.PATH, HOME: home, VIGIL_HOME: home, TZ: "UTC", VIGIL_LOG_LEVEL: "silent" };
  const today = _seed(env);
  const daemon = spawn(process.execPath, [VIGIL_BIN, "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  daemon.stdout!.on("data", (chunk) => (output += chunk));
  daemon.stderr!.on("data", (chunk) => (output += chunk));
  while (!/http: listening on (\S+)/.test(output)) await new Promise((resolve) => setTimeout(resolve, 20));
  const base = /http: listening on (\S+)/.exec(output)![1]!;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const samples: Array<{ fcp: number; timeline: number; complete: number; bytes: number }> = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      await context.addCookies([await _logIn(spawnSync(process.execPath, [VIGIL_BIN, "open", "--print"], { env, encoding: "utf8" }).stdout.trim())]);
      const page = await context.newPage();
      const sizes = new Map<string, number>();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      cdp.on("Network.loadingFinished", (event) => sizes.set(event.requestId, event.encodedDataLength));
      await page.goto(`${base}/?day=${today}`);
      await page.waitForSelector("body[data-ready=all]");
      // A string, so this file needs no DOM types: it runs in the page.
      const timing = (await page.evaluate(`({
        fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
        timeline: performance.getEntriesByName("vigil:timeline-painted")[0]?.startTime ?? NaN,
        complete: performance.getEntriesByName("vigil:timeline-complete")[0]?.startTime ?? NaN,
        day: document.getElementById("shown-days")?.textContent,
        nav: (({ redirectEnd, requestStart, responseStart, responseEnd, domInteractive, domContentLoadedEventStart }) => ({ redirectEnd, requestStart, responseStart, responseEnd, domInteractive, domContentLoadedEventStart }))(performance.getEntriesByType("navigation")[0]),
      })`)) as { fcp: number; timeline: number; complete: number; day?: string; nav: unknown };
      if (process.env.VIGIL_BENCH_DEBUG) console.error(JSON.stringify(timing));
      if (timing.day !== today) throw new Error(`the page shows ${timing.day}, not ${today}`);
      samples.push({ fcp: timing.fcp, timeline: timing.timeline, complete: timing.complete, bytes: [...sizes.values()].reduce((a, b) => a + b, 0) });
      await context.close();
    }
  } finally {
    await browser.close();
    daemon.kill("SIGTERM");
    await new Promise((resolve) => daemon.once("exit", resolve));
    rmSync(home, { recursive: true, force: true });
  }
  const pick = (key: "fcp" | "timeline" | "complete" | "bytes", scale = 1) => {
    let i = 0;
    return () => samples[i++]![key] / scale;
  };
  return [
    await measure(`review page, ${ROWS.toLocaleString("en-US")}-row day: first contentful paint`, "ms", RUNS, pick("fcp")),
    await measure(`review page, ${ROWS.toLocaleString("en-US")}-row day: first screen of the timeline painted`, "ms", RUNS, pick("timeline")),
    await measure(`review page, ${ROWS.toLocaleString("en-US")}-row day: every row in the page`, "ms", RUNS, pick("complete")),
    await measure(`review page, ${ROWS.toLocaleString("en-US")}-row day: total transfer`, "KB", RUNS, pick("bytes", 1024)),
  ];
}

/**
 * Yesterday and today as a busy daemon leaves them: today 2,000 rows (events, wakes that mostly
 * stay quiet, some actions, a few errors), 14 days of usage, a pending approval.
 */
function _seed(env: NodeJS.ProcessEnv): string {
  const startOfDay = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const step = Math.max(1, Math.floor((Date.now() - startOfDay - 60_000) / ROWS));
  let clock = startOfDay;
  const ctx = openContext({ env, now: () => new Date(clock) });
  try {
    const today = new Date(startOfDay).toISOString().slice(0, 10);
    const usage = { calls: 1, input: 350, output: 20, cacheRead: 6_000, cacheWrite: 0 };
    const rows: JournalInput[] = [];
    for (let i = 0; rows.length < ROWS; i++) {
      const turnId = `bench-${i}`;
      rows.push({ kind: "noticed", summary: `files/change: src/module-${i % 97}.ts changed (${(i * 37) % 400} lines)`, data: { source: "files", type: "change", eventId: i } });
      if (i % 10 === 0) {
        rows.push({ kind: "decided", summary: "intent: notify", data: { turnId, tool: "notify", input: { title: "Build", body: `build ${i} is red` } } });
        rows.push({ kind: "acted", summary: `notify: delivered via desktop`, data: { turnId, tool: "notify", outcome: "ok", result: "delivered via desktop" } });
        rows.push({ kind: "decided", summary: `Told the user build ${i} is red.`, data: { turnId, reason: "1 pending event(s)", events: [i], usage, steps: 2, actions: ["notify"] } });
      } else if (i % 97 === 0) {
        rows.push({ kind: "error", summary: "model call failed: 529 overloaded; backing off (events kept for later)", data: { turnId } });
      } else {
        rows.push({ kind: "quiet", summary: `nothing worth doing: module-${i % 97} is a routine edit`, data: { turnId, reason: "1 pending event(s)", events: [i], usage, steps: 1 } });
      }
    }
    for (const row of rows.slice(0, ROWS)) {
      clock += step;
      ctx.journal.append(row);
    }
    const ledger = createUsageLedger(ctx.db);
    for (let back = 0; back < 14; back++) ledger.record(shiftDay(today, -back), "claude-sonnet-5-5", { calls: 40, input: 14_000 + back * 500, output: 900, cacheRead: 240_000, cacheWrite: 9_000 });
    createApprovalQueue(ctx.db).request({ turnId: "bench-approval", toolUseId: "toolu_bench", tool: "run_command", input: { command: "npm test" }, reason: "this turn read untrusted outside text, so it needs your approval" }, new Date());
    return today;
  } finally {
    ctx.close();
  }
}

/** The session cookie the one-time link sets, for a browser context that has not visited yet. */
async function _logIn(link: string) {
  const response = await fetch(link, { redirect: "manual" });
  const [name, value] = response.headers.get("set-cookie")!.split(";")[0]!.split("=") as [string, string];
  return { name, value, url: new URL(link).origin };
}

