import type { Command } from "commander";
import { openContext } from "../../context/open-context.js";
import type { EventQueue } from "../../events/event-queue.js";
import type { VigilDatabase } from "../../store/open-database.js";
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
    const report = readStatus(ctx.paths.lockFile, ctx, ctx.now(), ctx.paths.home);
    writeLine(io.stdout, options.json ? JSON.stringify(report) : _formatStatus(report));
    return report.running ? EXIT.ok : EXIT.failed;
  } finally {
    ctx.close();
  }
}

export function readStatus(lockFile: string, { db, events }: { db: VigilDatabase; events: EventQueue }, now: Date, home: string): StatusReport {
  const lock = readInstanceLock(lockFile);
  const running = Boolean(lock && isProcessAlive(lock.pid));
  const last = lastEntry(db);
  return {
    running,
    pid: running ? lock!.pid : null,
    startedAt: running ? lock!.startedAt : null,
    uptimeSeconds: running ? Math.max(0, Math.round((now.getTime() - Date.parse(lock!.startedAt)) / 1000)) : null,
    home,
    pendingEvents: events.countPending(),
    lastEntry: last ? { seq: last.seq, ts: last.ts, kind: last.kind, summary: last.summary } : null,
  };
}

function _formatStatus(report: StatusReport): string {
  return [
    report.running ? `vigil is running (pid ${report.pid}, up ${report.uptimeSeconds}s)` : "vigil is not running",
    `home:           ${report.home}`,
    `pending events: ${report.pendingEvents}`,
    `last entry:     ${report.lastEntry ? `#${report.lastEntry.seq} ${report.lastEntry.ts} ${report.lastEntry.kind}: ${report.lastEntry.summary}` : "none"}`,
  ].join("\n");
}
