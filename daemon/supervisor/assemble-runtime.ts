import type { VigilContext } from "../context/open-context.js";
import { createModelHealth, fingerprintKey, type ModelHealth } from "../brain/model-health.js";
import type { ModelClient } from "../brain/model-client.js";
import type { TurnDeps } from "../brain/turn-deps.js";
import { createUsageLedger } from "../brain/usage-ledger.js";
import type { Notifier } from "../notify/notifier.js";
import { holdForQuietHours, type QuietHoursNotifier } from "../notify/quiet-hours-hold.js";
import { isQuietTime } from "../heartbeat/quiet-hours.js";
import { createWakeupStore, type WakeupStore } from "../events/wakeups.js";
import { createDaemonState, type DaemonState } from "../state/daemon-state.js";
import { createActionLedger } from "../tools/action-ledger.js";
import { createNotifyTool } from "../tools/notify-tool.js";
import { createScheduleTool } from "../tools/schedule-tool.js";
import { createSleepTool } from "../tools/sleep-tool.js";
import { createStayQuietTool } from "../tools/stay-quiet-tool.js";
import { createListChangesTool } from "../tools/list-changes-tool.js";
import { createToolRegistry } from "../toolkit/tool-registry.js";
import { createGithubClient, type GithubClient } from "../github/create-github-client.js";
import { createSubscriptionStore, type SubscriptionStore } from "../github/subscriptions.js";
import { createGithubCommentTool } from "../tools/github-comment-tool.js";
import { createGithubReviewTool } from "../tools/github-review-tool.js";
import { createSubscriptionTools } from "../tools/subscription-tools.js";
import { ToolError } from "../toolkit/tool.js";
import type { ToolRunDeps } from "../tools/run-tool-call.js";
import { createApprovalQueue } from "../policy/approvals.js";
import { askCritic } from "../brain/critic.js";
import { createCriticRecord } from "../brain/critic-record.js";
import { createWorkspaceTools } from "../tools/workspace/workspace-tools.js";
import { expandHome } from "../paths/expand-home.js";
import { createRunCommandTool } from "../tools/run-command-tool.js";
import { planCommandSandbox } from "../tools/sandbox/plan-command-sandbox.js";
import type { CommandSandbox } from "../tools/sandbox/sandbox-command.js";
import { createDeliverFileTool } from "../tools/deliver-file-tool.js";
import { createMemoryTools } from "../../memory/memory-tools.js";
import { noticeEventOn } from "../events/notice-event.js";
import { searchRecall } from "../../memory/search-recall.js";
import { createMemoryVersions } from "../../memory/memory-versions.js";
import { createTaskStore, type TaskStore } from "../tasks/task-store.js";
import { createStartTaskTool } from "../tasks/start-task-tool.js";
import { createPushTaskBranchTool } from "../tasks/push-task-branch-tool.js";
import { createOpenPullRequestTool } from "../tasks/open-pull-request-tool.js";
import { createHookRunner, type HookRunner } from "../hooks/hook-runner.js";
import { createMcpHub, type McpHub } from "../mcp/mcp-hub.js";
import { findGithubToken, hasGithubToken } from "../github/find-github-token.js";
import { buildApprovalNotification } from "../phone/approval-notification.js";
import { phoneButtons } from "../phone/phone-buttons.js";
import { announceApproval } from "../phone/announce-approval.js";
import { noteHeldApproval } from "../phone/raise-held-approvals.js";
import { createDesktopActions } from "../notify/create-desktop-actions.js";
import type { StoreTx } from "../context/store-tx.js";
import type { VigilStore } from "../store/vigil-store.js";
import { openSqliteStore } from "./open-sqlite-store.js";
import type { DesktopActions } from "../notify/desktop-actions.js";

export interface Runtime {
  turn: TurnDeps;
  /**
   * The store port on this home's database (daemon/supervisor/open-sqlite-store.ts): what has
   * moved onto it so far (webhook intake) writes through it; the connection closes with the context.
   */
  store: VigilStore<StoreTx>;
  /**
   * The zone of local days, quiet hours and cron slots (`ctx.loaded.zone`, read at each use so a
   * reload applies): SYSTEM_TIME_ZONE with none configured, so an idle daemon never starts ICU.
   * `turn.timeZone` is the zone's name, for what prints it.
   */
  readonly zone: string;
  state: DaemonState;
  wakeups: WakeupStore;
  health: ModelHealth;
  /** Holds notifications during quiet hours; the supervisor flushes them as one digest after. */
  notifier: QuietHoursNotifier;
  subscriptions: SubscriptionStore;
  tasks: TaskStore;
  /** The REST client; throws a tool error when no token is configured. */
  github: () => Promise<GithubClient>;
  hooks: HookRunner;
  /** The commands' sandbox (run_command, task workers); undefined when none is usable. */
  sandbox: CommandSandbox | undefined;
  /** The user's MCP servers; nothing is started until someone calls `start`. */
  mcp: McpHub;
  /** Approve/Deny on desktop notifications (`notify.desktopApprovals`); the daemon stops them at its stop. */
  desktopActions: DesktopActions | undefined;
  /** Quiet hours now, by the running config (a reload changes them). */
  isQuiet: (now: Date) => boolean;
}

export interface RuntimeOptions {
  /** Undefined with the rules provider: nothing may call a model then. */
  client: ModelClient | undefined;
  notifier: Notifier;
  turnTimeoutMs?: number;
  /** A one-shot process (`vigil approve`): commands run to completion instead of moving to the background. */
  foreground?: boolean;
}

/** Wires the stores, tools and brain of a running daemon from one context. */
export function assembleRuntime(ctx: VigilContext, { client, notifier: channels, turnTimeoutMs = 5 * 60_000, foreground = false }: RuntimeOptions): Runtime {
  const store = openSqliteStore(ctx);
  const state = createDaemonState(ctx.db);
  const { heartbeat, notify } = ctx.loaded.config;
  const isQuiet = (now: Date) => isQuietTime(now, heartbeat.quietHours, ctx.loaded.zone);
  const notifier = holdForQuietHours(channels, { state, journal: ctx.journal, now: ctx.now, isQuiet, urgentPerNight: notify.urgentPerNight });
  const desktopActions = notify.desktop && notify.desktopApprovals ? createDesktopActions({ platform: process.platform, env: ctx.env, now: ctx.now, logger: ctx.logger }) : undefined;
  const wakeups = createWakeupStore(ctx.db);
  const subscriptions = createSubscriptionStore(ctx.db);
  const workspace = ctx.loaded.config.tools.workspace.map((root) => expandHome(root, ctx.env));
  const github = _lazyGithubClient(ctx);
  const memoryVersions = createMemoryVersions(ctx.db, ctx.paths.memoryDir);
  const { sandbox: sandboxConfig, policy } = ctx.loaded.config.tools;
  const { sandbox } = planCommandSandbox({ ...sandboxConfig, hide: sandboxConfig.hide.map((file) => expandHome(file, ctx.env)) }, { vigilHome: ctx.paths.home, configFile: ctx.paths.config, env: ctx.env });
  const tasks = createTaskStore(ctx);
  const mcp = createMcpHub({ config: ctx.loaded.config.mcp, env: ctx.env, journal: ctx.journal, logger: ctx.logger, now: ctx.now });
  const hooks = createHookRunner({ hooks: ctx.loaded.config.hooks, journal: ctx.journal, logger: ctx.logger, env: ctx.env });
  const registry = createToolRegistry([
    createNotifyTool({ notifier }),
    // Not offered without a token: the model would only plan around a tool that must fail.
    ...(hasGithubToken(ctx.loaded, ctx.env) ? [createGithubCommentTool({ github }), createGithubReviewTool({ github })] : []),
    ...createSubscriptionTools({ subscriptions }),
    ...createWorkspaceTools({ roots: workspace }),
    createListChangesTool(),
    ...createMemoryTools({
      memoryDir: ctx.paths.memoryDir,
      search: (query) => searchRecall(ctx.db, query),
      onChange: (reason, now) => void memoryVersions.capture(reason, now),
    }),
    createDeliverFileTool({ outboxDir: ctx.paths.outboxDir, roots: workspace, notifier, leavesMachine: Boolean(notify.ntfy.topic) }),
    createRunCommandTool({ roots: workspace, onBackgroundDone: (done) =>
        void noticeEventOn(store, {
          source: "command",
          type: "finished",
          dedupeKey: `command:${done.job}`,
          // Command output can carry anything the command fetched: it is data, not instructions.
          trust: "untrusted",
          summary: `background command finished (${done.status}): ${done.command.slice(0, 120)}`,
          payload: { command: done.command, cwd: done.cwd, result: done.result },
        }).catch((error: Error) => ctx.logger.error({ err: error, job: done.job }, "could not queue a background command's result")), env: ctx.env, ...(sandbox ? { sandbox } : {}), ...(foreground ? { blockingMs: 10 * 60_000 } : {}) }),
    ..._createTaskTools(ctx, tasks, workspace, github),
    createScheduleTool({ store }),
    createSleepTool({ store }),
    createStayQuietTool(),
  ], mcp);
  const toolDeps: ToolRunDeps = {
    registry,
    ledger: createActionLedger(ctx.db),
    journal: ctx.journal,
    // Unconfined commands are the user's call: without a sandbox run_command defaults to ask.
    policy: sandbox || policy.run_command ? policy : { ...policy, run_command: "ask" },
    approvals: createApprovalQueue(ctx.db),
    notifier,
    critic: (request) => askCritic(client, ctx.loaded.config.model.criticModel, request),
    criticRecord: createCriticRecord(state),
    redact: ctx.redact,
    beforeTool: (tool, payload) => hooks.beforeTool(tool, payload),
    announceApproval: (approval, taintedBy) => {
      if (isQuiet(ctx.now())) noteHeldApproval(state, approval.id);
      const desktop = desktopActions ? { phone: notify.ntfy.approvals.phone } : undefined;
      const notice = buildApprovalNotification({ approval, workspace, timeZone: ctx.loaded.timezone, taintedBy, buttons: phoneButtons(ctx), desktop });
      const decide = { toolDeps, journal: ctx.journal, phone: notify.ntfy.approvals.phone, now: ctx.now, timeZone: ctx.loaded.timezone };
      return announceApproval({ notifier, desktop: desktopActions, isQuiet, hasPhone: Boolean(notify.ntfy.topic), decide, logger: ctx.logger }, notice);
    },
  };
  const turn: TurnDeps = {
    store,
    db: ctx.db,
    journal: ctx.journal,
    events: ctx.events,
    usage: createUsageLedger(ctx.db),
    toolDeps,
    client,
    config: ctx.loaded.config,
    // Read at the first model call: naming the system zone is the process's first Intl call (~8 MiB, 15–30 ms), not needed to be ready.
    get timeZone() {
      return ctx.loaded.timezone;
    },
    memoryDir: ctx.paths.memoryDir,
    now: ctx.now,
    logger: ctx.logger,
    turnTimeoutMs,
  };
  const health = createModelHealth(state, () => fingerprintKey(ctx.env));
  return {
    turn,
    store,
    get zone() {
      return ctx.loaded.zone;
    },
    state, wakeups, health, notifier, subscriptions, tasks, github, hooks, mcp, sandbox, desktopActions, isQuiet,
  };
}

/** start_task, push_task_branch, open_pull_request; config is read at each call, so a reload applies. */
function _createTaskTools(ctx: VigilContext, tasks: TaskStore, workspace: readonly string[], github: () => Promise<GithubClient>) {
  return [
    createStartTaskTool({
      store: tasks,
      repos: () => ({ workspace, clones: ctx.loaded.config.github.clones, env: ctx.env }),
      limits: () => ({ ...ctx.loaded.config.tasks, model: ctx.loaded.config.model.name }),
    }),
    createPushTaskBranchTool({ db: ctx.db, store: tasks, env: ctx.env }),
    createOpenPullRequestTool({ db: ctx.db, store: tasks, github, env: ctx.env }),
  ];
}

function _lazyGithubClient(ctx: VigilContext): () => Promise<GithubClient> {
  let client: Promise<GithubClient> | undefined;
  return async () => {
    if (client) return client;
    const found = findGithubToken({ ref: ctx.loaded.config.github.token, value: ctx.loaded.secrets.githubToken }, ctx.env);
    if (!found) throw new ToolError("no GitHub token: export GITHUB_TOKEN (or set github.token to env:NAME), or log in with the GitHub CLI (gh auth login)");
    client = createGithubClient({ token: found.token, apiBaseUrl: ctx.loaded.config.github.apiBaseUrl, logger: ctx.logger });
    return client;
  };
}
