import type { Command } from "commander";
import { openContext } from "../../context/open-context.js";
import { createUsageLedger, totalTokens, type TokenUsage } from "../../brain/usage-ledger.js";
import type { EventQueue } from "../../events/event-queue.js";
import { createDaemonState } from "../../state/daemon-state.js";
import { LAST_TICK_KEY } from "../../supervisor/supervisor.js";
import type { VigilDatabase } from "../../store/open-database.js";
import { localDay } from "../../../logs/local-day.js";
import { isProcessAlive, readInstanceLock } from "../../run/instance-lock.js";
import { lastEntry } from "../../../logs/query-entries.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";

export interface StatusReport {
  running: boolean;
  pid: number | null;
  startedAt: string | null;
  uptimeSeconds: number | null;
  home: string;
  pendingEvents: number;
  /** Persisted about once a minute by the running daemon. */
  lastTickAt: string | null;
  lastTurn: { startedAt: string; endedAt: string | null; outcome: string | null; reason: string } | null;
  tokensToday: TokenUsage & { total: number };
  lastEntry: { seq: number; ts: string; kind: string; summary: string } | null;
}

export function registerStatusCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("status")
    .description("is the daemon running, and what is it doing (exit 1 when not running)")
    .option("--json", "print the status as JSON")
    .action((options: { json?: boolean }) => setExit(runStatus(io, options)));
}

export function runStatus(io: CliIo, options: { json?: boolean }): number {
  const ctx = openContext({ env: io.env, now: io.now });
  try {
    const report = readStatus(ctx.paths.lockFile, ctx, ctx.now(), ctx.paths.home, ctx.loaded.timezone);
    writeLine(io.stdout, options.json ? JSON.stringify(report) : _formatStatus(report));
    return report.running ? EXIT.ok : EXIT.failed;
  } finally {
    ctx.close();
  }
}

export function readStatus(lockFile: string, { db, events }: { db: VigilDatabase; events: EventQueue }, now: Date, home: string, timeZone: string): StatusReport {
  const lock = readInstanceLock(lockFile);
  const running = Boolean(lock && isProcessAlive(lock.pid));
  const last = lastEntry(db);
  const tokens = createUsageLedger(db).forDay(localDay(now, timeZone));
  const lastTurn = db
    .prepare<[], NonNullable<StatusReport["lastTurn"]>>("SELECT started_at AS startedAt, ended_at AS endedAt, outcome, reason FROM turns ORDER BY started_at DESC LIMIT 1")
    .get();
  return {
    running,
    pid: running ? lock!.pid : null,
    startedAt: running ? lock!.startedAt : null,
    uptimeSeconds: running ? Math.max(0, Math.round((now.getTime() - Date.parse(lock!.startedAt)) / 1000)) : null,
    home,
    pendingEvents: events.countPending(),
    lastTickAt: createDaemonState(db).get<string>(LAST_TICK_KEY) ?? null,
    lastTurn: lastTurn ?? null,
    tokensToday: { ...tokens, total: totalTokens(tokens) },
    lastEntry: last ? { seq: last.seq, ts: last.ts, kind: last.kind, summary: last.summary } : null,
  };
}

function _formatStatus(report: StatusReport): string {
  return [
    report.running ? `vigil is running (pid ${report.pid}, up ${report.uptimeSeconds}s)` : "vigil is not running",
    `home:           ${report.home}`,
    `pending events: ${report.pendingEvents}`,
    `last tick:      ${report.lastTickAt ?? "never"}`,
    `last turn:      ${report.lastTurn ? `${report.lastTurn.startedAt} ${report.lastTurn.outcome ?? "running"} (${report.lastTurn.reason})` : "none"}`,
    `tokens today:   ${report.tokensToday.total} in ${report.tokensToday.calls} call(s) (cache read ${report.tokensToday.cacheRead}, write ${report.tokensToday.cacheWrite})`,
    `last entry:     ${report.lastEntry ? `#${report.lastEntry.seq} ${report.lastEntry.ts} ${report.lastEntry.kind}: ${report.lastEntry.summary}` : "none"}`,
  ].join("\n");
}
