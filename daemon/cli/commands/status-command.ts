import type { Command } from "commander";
import { AUTH_BLOCK_KEY, AUTH_FIX, type AuthBlock } from "../../brain/model-health.js";
import { createUsageLedger, totalTokens, type TokenUsage } from "../../brain/usage-ledger.js";
import { ConfigError } from "../../config/config-error.js";
import type { VigilContext } from "../../context/open-context.js";
import { openCliContext } from "../open-cli-context.js";
import { readHttpRunState, type HttpRunState } from "../../locks/http-run-file.js";
import { isLockHolderRunning, readInstanceLock } from "../../locks/instance-lock.js";
import { createWakeupStore } from "../../events/wakeups.js";
import { createApprovalQueue } from "../../policy/approvals.js";
import { createDaemonState, LAST_TICK_KEY } from "../../state/daemon-state.js";
import { lastEntry } from "../../../logs/query-entries.js";
import { localDay } from "../../../logs/local-day.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { formatLocalTime } from "../format-local-time.js";
import { EXIT } from "../exit-codes.js";

export interface StatusReport {
  running: boolean;
  /** Where the live figures came from: the daemon's /healthz, or the database alone. */
  source: "healthz" | "database";
  pid: number | null;
  startedAt: string | null;
  uptimeSeconds: number | null;
  home: string;
  pendingEvents: number;
  approvalsWaiting: number;
  lastTickAt: string | null;
  lastTurn: { startedAt: string; endedAt: string | null; outcome: string | null; reason: string } | null;
  tokensToday: TokenUsage & { total: number };
  nextRuns: Array<{ at: string; note: string; origin: string }>;
  lastEntry: { seq: number; ts: string; kind: string; summary: string } | null;
  /** Set when the API refused the key: the daemon calls no model until it changes. */
  modelBlocked: AuthBlock | null;
  /** The running daemon's HTTP server (run/http.json); null when not running or not recorded. */
  http: Omit<HttpRunState, "pid" | "procStart"> | null;
  /** Whether the config file on disk loads; a running daemon keeps the config it loaded. */
  config: { file: string | null; loads: true } | { file: string | null; loads: false; line: number | null; problem: string; fix: string };
}

export function registerStatusCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("status")
    .description("is the daemon running, and what is it doing (exit 1 when not running)")
    .option("--json", "print the status as JSON")
    .action(async (options: { json?: boolean }) => setExit(await runStatus(io, options)));
}

export async function runStatus(io: CliIo, options: { json?: boolean }): Promise<number> {
  const { ctx, configError } = await _openStatusContext(io);
  try {
    const report = readStatus(ctx, configError);
    const live = report.http?.url ? await _readHealthz(report.http.url) : undefined;
    if (live) Object.assign(report, { source: "healthz", pendingEvents: live.pendingEvents, lastTickAt: live.lastTickAt ?? report.lastTickAt, uptimeSeconds: live.uptimeSeconds });
    writeLine(io.stdout, options.json ? JSON.stringify(report) : _formatStatus(report, ctx.now(), ctx.loaded.zone));
    return report.running ? EXIT.ok : EXIT.failed;
  } finally {
    ctx.close();
  }
}

/**
 * Status must answer while the config file is broken (the running daemon keeps the last good
 * config): then the defaults stand in for what status reads from config (the time zone) and the
 * error is reported.
 */
async function _openStatusContext(io: CliIo): Promise<{ ctx: VigilContext; configError?: ConfigError }> {
  try {
    return { ctx: await openCliContext(io) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Only on this path: the defaults need the config module (yaml, zod), which the fast path skips.
    const [{ loadDefaultConfig }, { openContext }] = await Promise.all([import("../../config/load-config.js"), import("../../context/open-context.js")]);
    return { ctx: openContext({ env: io.env, now: io.now, loaded: loadDefaultConfig(io.env) }), configError: error };
  }
}

/** Everything the database and run files know; the running daemon's /healthz refreshes the live parts. */
export function readStatus(ctx: VigilContext, configError?: ConfigError): StatusReport {
  const { db, paths } = ctx;
  const now = ctx.now();
  const lock = readInstanceLock(paths.lockFile);
  const running = Boolean(lock && isLockHolderRunning(lock));
  const http = running ? readHttpRunState(paths.runDir) : undefined;
  const last = lastEntry(db);
  const tokens = createUsageLedger(db).forDay(localDay(now, ctx.loaded.zone));
  const lastTurn = db
    .prepare<[], NonNullable<StatusReport["lastTurn"]>>("SELECT started_at AS startedAt, ended_at AS endedAt, outcome, reason FROM turns ORDER BY started_at DESC LIMIT 1")
    .get();
  return {
    running,
    source: "database",
    pid: running ? lock!.pid : null,
    startedAt: running ? lock!.startedAt : null,
    uptimeSeconds: running ? Math.max(0, Math.round((now.getTime() - Date.parse(lock!.startedAt)) / 1000)) : null,
    home: paths.home,
    pendingEvents: ctx.events.countPending(),
    approvalsWaiting: createApprovalQueue(db).pending(now).length,
    lastTickAt: createDaemonState(db).get<string>(LAST_TICK_KEY) ?? null,
    lastTurn: lastTurn ?? null,
    tokensToday: { ...tokens, total: totalTokens(tokens) },
    nextRuns: createWakeupStore(db).upcoming(now, ctx.loaded.zone),
    lastEntry: last ? { seq: last.seq, ts: last.ts, kind: last.kind, summary: last.summary } : null,
    modelBlocked: createDaemonState(db).get<AuthBlock>(AUTH_BLOCK_KEY) ?? null,
    http: http && http.pid === lock!.pid ? { address: http.address, listening: http.listening, url: http.url, problem: http.problem } : null,
    config: configError
      ? { file: configError.file ?? paths.config, loads: false, line: configError.line ?? null, problem: configError.message.split("\n")[0]!, fix: configError.fix }
      : { file: ctx.loaded.file ?? null, loads: true },
  };
}

async function _readHealthz(url: string): Promise<{ pendingEvents: number; lastTickAt?: string; uptimeSeconds: number } | undefined> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    return response.ok ? ((await response.json()) as { pendingEvents: number; lastTickAt?: string; uptimeSeconds: number }) : undefined;
  } catch {
    return undefined; // the server stopped answering: the database answers
  }
}

/** Times in the user's zone (a `zone` as logs/local-day.ts takes it), as `vigil log` prints them; --json keeps ISO UTC for scripts. */
function _formatStatus(report: StatusReport, now: Date, timeZone: string): string {
  const tokens = report.tokensToday;
  const at = (iso: string | null | undefined) => formatLocalTime(iso, now, timeZone);
  return [
    report.running ? `vigil is running (pid ${report.pid}, up ${report.uptimeSeconds}s, since ${at(report.startedAt)})` : "vigil is not running",
    `home:           ${report.home}`,
    ...(report.modelBlocked ? [`model:          key refused since ${at(report.modelBlocked.since)} (${report.modelBlocked.message}); no model calls: ${AUTH_FIX}`] : []),
    `pending events: ${report.pendingEvents}`,
    `approvals:      ${report.approvalsWaiting} waiting${report.approvalsWaiting ? " (vigil approvals)" : ""}`,
    `last tick:      ${at(report.lastTickAt)}`,
    `last turn:      ${report.lastTurn ? `${at(report.lastTurn.startedAt)} ${report.lastTurn.outcome ?? "running"} (${report.lastTurn.reason})` : "none"}`,
    `tokens today:   ${tokens.total} in ${tokens.calls} call(s) (cache read ${tokens.cacheRead}, write ${tokens.cacheWrite})`,
    `next runs:      ${report.nextRuns.length ? report.nextRuns.map((run) => `${at(run.at)} ${run.note}`).join("; ") : "none scheduled"}`,
    `last entry:     ${report.lastEntry ? `#${report.lastEntry.seq} ${at(report.lastEntry.ts)} ${report.lastEntry.kind}: ${report.lastEntry.summary}` : "none"}`,
    ..._formatHttp(report.http),
    ..._formatConfig(report),
  ].join("\n");
}

function _formatHttp(http: StatusReport["http"]): string[] {
  if (!http) return [];
  if (http.listening) return [`http:           listening on ${http.url}`];
  return [`http:           NOT listening: ${http.problem?.reason ?? http.address}`, `                off: ${http.problem?.off.join("; ")}`, `                fix: ${http.problem?.fix}`];
}

function _formatConfig({ config, running }: StatusReport): string[] {
  if (config.loads) return [];
  const consequence = running ? "the daemon keeps the config it loaded; a reload (SIGHUP) will not pick this file up" : "vigil start would refuse it (exit 78)";
  return [`config:         DOES NOT LOAD: ${config.problem}`, `                ${consequence}`, `                fix: ${config.fix}`];
}
