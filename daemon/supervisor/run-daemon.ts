import { setTimeout as delay } from "node:timers/promises";
import { chooseProvider } from "../brain/choose-provider.js";
import { requireEnabledSecrets } from "../config/resolve-secrets.js";
import { createAnthropicClient } from "../brain/model-client.js";
import type { VigilContext } from "../context/open-context.js";
import type { Notifier } from "../notify/notifier.js";
import { buildNotifier } from "../notify/build-notifier.js";
import { acquireInstanceLock } from "../locks/instance-lock.js";
import { readProcessStart } from "../locks/process-identity.js";
import { VERSION } from "../version.js";
import { assembleRuntime, type Runtime } from "./assemble-runtime.js";
import { createGithubPoller } from "../github/github-poller.js";
import { startPollLoop } from "../github/start-poll-loop.js";
import { recoverInterrupted } from "./recover-interrupted.js";
import { formatMode, type ModeProblem } from "../store/private-files.js";
import { noticeLostSecrets } from "./notice-lost-secrets.js";
import { startDaemonHttp } from "./start-daemon-http.js";
import { removeHttpRunState, type HttpRunState } from "../locks/http-run-file.js";
import { createMorningReviewJob } from "../schedule/send-morning-review.js";
import { createAnchorJob } from "../schedule/anchor-job.js";
import { reloadConfig } from "./reload-config.js";
import { checkModelKey } from "./check-model-key.js";
import { createFileWatcher } from "../sources/file-watcher.js";
import { noticeEventOn } from "../events/notice-event.js";
import { parseSubscriptionRef } from "../github/subscription-ref.js";
import { createSupervisor, type Supervisor } from "./supervisor.js";
import { createDreamJob } from "../schedule/dream-job.js";
import { createRetentionJob } from "../schedule/apply-retention.js";
import { closeDecidedApprovalNotices } from "../phone/close-decided-approval-notices.js";
import { raiseHeldApprovals } from "../phone/raise-held-approvals.js";
import { createHeartbeatWaker } from "../heartbeat/heartbeat-waker.js";
import { createMagicDocJob } from "../schedule/magic-doc-job.js";
import { createMagicDocTracker, type MagicDocTracker } from "../../memory/track-magic-docs.js";
import { expandHome } from "../paths/expand-home.js";
import type { NewEvent } from "../events/event-queue.js";
import { recoverMemory } from "../../memory/recover-memory.js";
import { createTaskRunner, recoverTasks, type TaskRunner } from "../tasks/task-runner.js";
import { feedJournalToHooks } from "../hooks/feed-journal-to-hooks.js";
import { startPhoneApprovals } from "../phone/start-phone-approvals.js";
import { MCP_START_WAIT_MS, MCP_STATUS_KEY } from "../mcp/mcp-hub.js";

export interface DaemonOptions {
  once?: boolean;
  /** Resolves when the daemon should stop (a signal); injected so tests need no real signals. */
  stopSignal: Promise<string>;
  announce: (line: string) => void;
  notifier?: Notifier;
  /** How long a stop waits for the turn in flight before leaving it to recovery. */
  stopGraceMs?: number;
  /** Registers the reload trigger (SIGHUP); returns its unregister function. */
  onReload?: (reload: () => void) => () => void;
  /** What start found readable by others under VIGIL_HOME and made private; journaled. */
  tightened?: ModeProblem[];
  /** Registers how another process (`vigil tell`) asks for a tick now; returns the unregister. */
  onNudge?: (nudge: () => void) => () => void;
}

/** A nudged tick comes this long after the settle window, so the event has surely settled by then. */
const NUDGE_MARGIN_MS = 20;
/** How long a stop lets running observer hooks finish. */
const HOOK_DRAIN_MS = 5_000;

/**
 * The daemon's lifetime: one instance per home (lock), recovery of what a crash left behind, the
 * heartbeat loop, and a clean stop. Throws LockHeldError when another instance runs, ConfigError
 * when the provider cannot run.
 */
export async function runDaemon(ctx: VigilContext, options: DaemonOptions): Promise<void> {
  requireEnabledSecrets(ctx.loaded.config, ctx.env, ctx.loaded.file);
  const provider = chooseProvider(ctx.loaded, ctx.env);
  const lock = acquireInstanceLock(ctx.paths.lockFile, { pid: process.pid, startedAt: ctx.now().toISOString(), version: VERSION, procStart: readProcessStart(process.pid) });
  try {
    removeHttpRunState(ctx.paths.runDir); // we hold the lock: any file there was left by a crash
    const client = provider === "anthropic" ? createAnthropicClient({ env: ctx.env }) : undefined;
    const runtime = assembleRuntime(ctx, {
      client,
      notifier: options.notifier ?? buildNotifier(ctx),
    });
    ctx.journal.append({
      kind: "system",
      summary: `started vigil ${VERSION} (provider ${provider})`,
      data: { event: "started", version: VERSION, pid: process.pid, configHash: ctx.loaded.hash, configFile: ctx.loaded.file ?? null, provider },
    });
    _journalTightened(ctx, options.tightened ?? []);
    await noticeLostSecrets(ctx, runtime.state, runtime.notifier, provider);
    recoverInterrupted(runtime);
    runtime.wakeups.syncConfigSchedules(ctx.loaded.config.schedules, ctx.now());
    runtime.subscriptions.addFromConfig(ctx.loaded.config.github.subscriptions.map((text) => parseSubscriptionRef(text)!), ctx.now());
    recoverMemory(ctx);
    await _startMcp(runtime);
    recoverTasks({ store: runtime.tasks, now: ctx.now }, ctx.loaded.config.tasks.retryInterrupted);
    const dream = createDreamJob(ctx, runtime, provider);
    const magicDocs = createMagicDocJob(ctx, runtime, provider);
    const hookFeed = feedJournalToHooks(ctx.db, runtime.state, runtime.hooks);
    const tasks = _createTaskRunner(ctx, runtime, provider);
    const retention = createRetentionJob(ctx, runtime.state);
    await retention(ctx.now());
    const { approvals, announceApproval } = runtime.turn.toolDeps;
    const closeDecided = runtime.desktopActions ? [closeDecidedApprovalNotices(runtime.desktopActions, approvals)] : [];
    const raiseHeld = announceApproval ? [raiseHeldApprovals({ state: runtime.state, approvals, journal: ctx.journal, isQuiet: runtime.isQuiet, announce: (approval) => announceApproval(approval, undefined) })] : [];
    const supervisor = createSupervisor(runtime, provider, [createMorningReviewJob(ctx, runtime), createAnchorJob(ctx, runtime), dream.tick, magicDocs.tick, hookFeed, tasks.tick, retention, ...closeDecided, ...raiseHeld]);
    const tracker = createMagicDocTracker({ registry: magicDocs.registry, now: ctx.now });
    // Before the sources: an event must not arrive while the heartbeat is not listening yet.
    if (provider === "anthropic") await checkModelKey(ctx, runtime, options.announce);
    const sources = options.once
      ? undefined
      : await _startSources(ctx, runtime, supervisor, tracker, options).catch(async (error: Error) => {
          await runtime.mcp.stop();
          _journalStopped(ctx, `could not run: ${error.message.split("\n")[0]}`);
          throw error;
        });
    _announceReady(ctx, provider, options.announce, sources?.http);
    // Ready first, then load the SDK in the background, so the first wake does not wait for it.
    void client?.warmUp().catch((error: Error) => ctx.logger.warn({ err: error }, "loading the model SDK failed"));
    const reason = options.once ? await _runOnce(supervisor) : await _heartbeatLoop(ctx, supervisor, options);
    await _finishTurnInFlight(supervisor, options.stopGraceMs ?? 20_000);
    await Promise.all([dream.stop(), magicDocs.stop(), tasks.stop(), _drainHooks(runtime, hookFeed)]);
    await sources?.stop();
    // Transactions are taken in order: once this one has run, every event a source handed the
    // store before it stopped is committed, before the context closes the database.
    await runtime.store.transaction(async () => undefined);
    await runtime.desktopActions?.stop();
    await runtime.mcp.stop();
    _journalStopped(ctx, reason);
  } finally {
    lock.release();
  }
}

/** Tasks need a model: with the rules provider they wait in the queue until one is configured. */
function _createTaskRunner(ctx: VigilContext, runtime: Runtime, provider: "anthropic" | "rules"): TaskRunner {
  const runner = createTaskRunner(
    { ...ctx, store: runtime.tasks, usage: runtime.turn.usage, timeZone: ctx.loaded.zone, maxOutputTokens: Math.max(ctx.loaded.config.model.maxTokens, 4096), ...(runtime.sandbox ? { sandbox: runtime.sandbox } : {}) },
    { home: ctx.paths.home, maxConcurrent: ctx.loaded.config.tasks.maxConcurrent, logger: ctx.logger },
  );
  if (provider === "anthropic") return runner;
  return { ...runner, tick: async () => undefined };
}

/** HTTP (health, webhooks), GitHub polling, the file watcher and the reload trigger; one stop for all. */
async function _startSources(ctx: VigilContext, runtime: Runtime, supervisor: Supervisor, tracker: MagicDocTracker, options: DaemonOptions): Promise<{ http: HttpRunState; stop(): Promise<void> }> {
  const http = await startDaemonHttp(ctx, runtime, ctx.now(), () => ({ lastTickAt: supervisor.lastTickAt()?.toISOString() ?? null }));
  const polling = ctx.loaded.config.github.poll.enabled ? _startPolling(ctx, runtime) : undefined;
  const phone = startPhoneApprovals(ctx, runtime);
  // A magic doc's refresh is Vigil's own write: it wakes nothing.
  const notice = (event: NewEvent) => (tracker.observe(event) ? undefined : noticeEventOn(runtime.store, event));
  const files = createFileWatcher({ notice, journal: ctx.journal, logger: ctx.logger, vigilHome: ctx.paths.home, env: ctx.env });
  await files.setRoots(ctx.loaded.config.watch);
  const roots = ctx.loaded.config.watch.map((root) => ({ root: expandHome(root.path, ctx.env), ignore: root.ignore }));
  void tracker.discover(roots, ctx.paths.home).catch((error: Error) => ctx.logger.warn({ err: error }, "looking for magic docs failed"));
  const stopReloads = options.onReload?.(() => void reloadConfig(ctx, runtime, files).catch((error) => ctx.logger.error({ err: error }, "reload failed")));
  return {
    http: http.state,
    async stop() {
      stopReloads?.();
      polling?.stop();
      await phone?.stop();
      await files.close();
      await http.close();
    },
  };
}

function _journalTightened(ctx: VigilContext, tightened: ModeProblem[]): void {
  if (tightened.length === 0) return;
  const changes = tightened.map((entry) => ({ path: entry.path || ".", from: formatMode(entry.mode), to: formatMode(entry.wanted) }));
  const shown = changes.slice(0, 5).map((change) => `${change.path} ${change.from}→${change.to}`).join(", ");
  ctx.journal.append({
    kind: "system",
    summary: `made ${changes.length} path(s) under ${ctx.paths.home} private: ${shown}${changes.length > 5 ? ", …" : ""}`,
    data: { event: "modes-tightened", changes: changes.slice(0, 100), count: changes.length },
  });
}

function _announceReady(ctx: VigilContext, provider: "anthropic" | "rules", announce: (line: string) => void, http: HttpRunState | undefined): void {
  announce(`vigil ${VERSION} running (pid ${process.pid}); home ${ctx.paths.home}`);
  if (http?.listening) announce(`http: listening on ${http.url}`);
  else if (http?.problem) announce(`http: NOT listening: ${http.problem.reason}\n  off: ${http.problem.off.join("; ")}\n  fix: ${http.problem.fix}`);
  announce(provider === "rules" ? "provider: rules (no ANTHROPIC_API_KEY set; config rules decide, the rest waits for review)" : `provider: anthropic (${ctx.loaded.config.model.name})`);
  ctx.logger.info({ provider, home: ctx.paths.home, config: ctx.loaded.file ?? "defaults" }, "daemon started");
}

function _journalStopped(ctx: VigilContext, reason: string): void {
  ctx.journal.append({ kind: "system", summary: `stopped vigil ${VERSION} (${reason})`, data: { event: "stopped", version: VERSION, reason } });
  ctx.logger.info({ reason }, "daemon stopped");
}

function _startPolling(ctx: VigilContext, runtime: Runtime) {
  const { intervalSeconds } = ctx.loaded.config.github.poll;
  const poller = createGithubPoller({ ...ctx, store: runtime.store, subscriptions: runtime.subscriptions, github: runtime.github, intervalSeconds });
  return startPollLoop({ poller, journal: ctx.journal, logger: ctx.logger, intervalMs: intervalSeconds * 1000 });
}

/**
 * Stops the turn in flight: its model call is aborted at once (no side effects are lost by that)
 * and its events go back to the queue; a tool already running gets up to the grace period to
 * finish, well inside the service's TimeoutStopSec.
 */
async function _finishTurnInFlight(supervisor: Supervisor, graceMs: number): Promise<void> {
  supervisor.abort();
  await Promise.race([supervisor.idle(), delay(graceMs, undefined, { ref: false })]);
}

/** The user's MCP servers, each in the background; their status is kept for `vigil mcp list`. */
async function _startMcp(runtime: Runtime): Promise<void> {
  runtime.state.delete(MCP_STATUS_KEY);
  if (runtime.mcp.statuses().length === 0) return;
  runtime.mcp.onStatus((servers) => runtime.state.set(MCP_STATUS_KEY, { pid: process.pid, servers }));
  runtime.mcp.start();
  await runtime.mcp.settled(MCP_START_WAIT_MS);
}

/** What the last ticks journaled still reaches the observers, for a moment: a stop never waits long on a hook. */
async function _drainHooks(runtime: Runtime, feed: () => Promise<void>): Promise<void> {
  await feed();
  await Promise.race([runtime.hooks.idle(), delay(HOOK_DRAIN_MS, undefined, { ref: false })]);
}

async function _runOnce(supervisor: Supervisor): Promise<string> {
  await supervisor.runOnce();
  return "once";
}

/** Ticks until the stop signal; a failing tick is logged and the next one tries again. */
async function _heartbeatLoop(ctx: VigilContext, supervisor: Supervisor, { stopSignal, onNudge }: Pick<DaemonOptions, "stopSignal" | "onNudge">): Promise<string> {
  let stopReason: string | undefined;
  const stopping = new AbortController();
  void stopSignal.then((reason) => {
    stopReason = reason;
    stopping.abort();
  });
  const { tickSeconds, settleMs } = ctx.loaded.config.heartbeat;
  const waker = createHeartbeatWaker();
  // An event this process took in, or another process announced, is looked at once it has settled.
  const nudge = () => waker.nudge(settleMs + NUDGE_MARGIN_MS);
  const unsubscribe = ctx.events.onEnqueued(nudge);
  const stopNudges = onNudge?.(nudge);
  while (stopReason === undefined) {
    try {
      await supervisor.tick();
    } catch (error) {
      ctx.logger.error({ err: error }, "heartbeat tick failed");
    }
    // Aborted on stop, so a long tick interval never holds the process open.
    await waker.sleep(tickSeconds * 1000, stopping.signal);
  }
  unsubscribe();
  stopNudges?.();
  waker.close();
  return stopReason;
}
