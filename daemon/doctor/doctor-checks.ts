import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { createAnthropicClient } from "../brain/model-client.js";
import { chooseProvider } from "../brain/choose-provider.js";
import { AUTH_BLOCK_KEY, AUTH_FIX, type AuthBlock } from "../brain/model-health.js";
import { createDaemonState } from "../state/daemon-state.js";
import { hasGithubToken } from "../github/find-github-token.js";
import { describeGithubDelivery } from "../github/github-delivery.js";
import { formatSubscriptionRef } from "../github/subscription-ref.js";
import type { VigilContext } from "../context/open-context.js";
import { expandHome } from "../paths/expand-home.js";
import { isLockHolderRunning, readInstanceLock } from "../locks/instance-lock.js";
import { readHttpRunState } from "../locks/http-run-file.js";
import { verifyChain } from "../../logs/verify-chain.js";
import { findWideModes, formatMode } from "../store/private-files.js";
import { findMissingSecrets, listSecretNames } from "../config/resolve-secrets.js";
import { readServiceEnv, serviceEnvFile } from "../config/service-env.js";
import { planCommandSandbox } from "../tools/sandbox/plan-command-sandbox.js";

import { readMemorySnapshot } from "../../memory/memory-snapshot.js";
import { checkMcpServers } from "./check-mcp-servers.js";
import { checkGithub } from "./check-github.js";
import { checkPhoneApprovals } from "./check-phone-approvals.js";
import { checkDesktopApprovals } from "./check-desktop-approvals.js";
import { createSubscriptionStore } from "../github/subscriptions.js";
import { validateMemory } from "../../memory/validate-memory.js";

/**
 * One thing `vigil doctor` looked at; a failed check says how to fix it. A warning (ok, warn) is
 * something Vigil runs fine without but the user may want: it says what happens instead.
 */
export interface CheckResult {
  name: string;
  ok: boolean;
  warn?: boolean;
  detail: string;
  fix?: string;
}

export interface DoctorEnv {
  /** Where a systemd user unit or launchd agent would be; undefined skips the check. */
  serviceFile?: string;
  inotifyFile?: string;
  /** This shell's own environment, before service.env: to tell what only this shell has. */
  shellEnv?: NodeJS.ProcessEnv;
}

export async function runDoctorChecks(ctx: VigilContext, env: DoctorEnv): Promise<CheckResult[]> {
  return [
    { name: "config", ok: true, detail: ctx.loaded.file ? `${ctx.loaded.file} is valid` : "no config file: running on defaults (vigil init writes one)" },
    _checkDatabase(ctx),
    _checkModes(ctx),
    _checkMemory(ctx),
    await _checkModel(ctx),
    ..._checkModelBlock(ctx),
    _checkSecrets(ctx, env),
    _checkNotifiers(ctx),
    ...checkDesktopApprovals(ctx),
    _checkGithubDelivery(ctx),
    _checkSandbox(ctx),
    await _checkPort(ctx),
    ..._checkWatchRoots(ctx, env),
    _checkService(env),
    ...(await checkGithub(ctx, createSubscriptionStore(ctx.db).list().length)),
    ...(await checkMcpServers(ctx)),
    ...checkPhoneApprovals(ctx),
  ];
}

function _checkDatabase(ctx: VigilContext): CheckResult {
  const integrity = ctx.db.pragma("quick_check", { simple: true });
  if (integrity !== "ok") return { name: "database", ok: false, detail: `SQLite quick_check: ${integrity}`, fix: `stop vigil and restore ${ctx.paths.database} from a backup` };
  const verdict = verifyChain(ctx.db);
  return verdict.ok
    ? { name: "database", ok: true, detail: `journal intact: ${verdict.rows} rows` }
    : { name: "database", ok: false, detail: `journal broken at seq ${verdict.seq}: ${verdict.reason}`, fix: "run vigil log verify; the journal was changed outside Vigil" };
}

function _checkModes(ctx: VigilContext): CheckResult {
  const wide = findWideModes(ctx.paths.home);
  if (wide.length === 0) return { name: "file modes", ok: true, detail: `${ctx.paths.home} is private (directories 0700, files 0600)` };
  const shown = wide.slice(0, 3).map((entry) => `${entry.path || ctx.paths.home} is ${formatMode(entry.mode)}`).join(", ");
  return {
    name: "file modes",
    ok: false,
    detail: `${wide.length} path(s) readable by other accounts: ${shown}${wide.length > 3 ? ", …" : ""}`,
    fix: `chmod -R go-rwx ${ctx.paths.home} (vigil start also does this, and journals it)`,
  };
}

function _checkSandbox(ctx: VigilContext): CheckResult {
  const { sandbox: settings, policy } = ctx.loaded.config.tools;
  const { sandbox, problem } = planCommandSandbox(settings, { vigilHome: ctx.paths.home, configFile: ctx.paths.config, env: ctx.env });
  if (sandbox) return { name: "sandbox", ok: true, detail: `run_command runs under ${sandbox.bwrap}: only its workspace root writable, VIGIL_HOME and ${sandbox.hidden.length - 1} secret path(s) hidden, network ${sandbox.network ? "on" : "off"}` };
  // Vigil runs without one, more carefully: commands wait for the user's approval. A warning.
  return {
    name: "sandbox",
    ok: true,
    warn: true,
    detail: `no command sandbox: ${problem}; run_command ${policy.run_command ? `follows tools.policy (${policy.run_command})` : "defaults to ask"}`,
    fix: settings.enabled ? "install bubblewrap (apt install bubblewrap) and allow user namespaces" : "set tools.sandbox.enabled: true",
  };
}

function _checkMemory(ctx: VigilContext): CheckResult {
  const snapshot = readMemorySnapshot(ctx.paths.memoryDir);
  const problems = validateMemory(snapshot);
  const topics = Object.keys(snapshot).length - ("MEMORY.md" in snapshot ? 1 : 0);
  return problems.length
    ? { name: "memory", ok: false, detail: problems.slice(0, 3).join("; "), fix: "fix the file by hand, or vigil memory revert to an earlier version" }
    : { name: "memory", ok: true, detail: `${topics} topic(s), index within its limits` };
}

async function _checkModel(ctx: VigilContext): Promise<CheckResult> {
  let provider;
  try {
    provider = chooseProvider(ctx.loaded, ctx.env);
  } catch (error) {
    return { name: "model", ok: false, detail: (error as Error).message, fix: "export ANTHROPIC_API_KEY or set model.provider: rules" };
  }
  if (provider === "rules") return { name: "model", ok: true, detail: "rules provider (no API key): events wait for your review" };
  try {
    // Authenticated and nearly free: one token of the cheapest configured model.
    await createAnthropicClient({ env: ctx.env, maxRetries: 0, timeoutMs: 10_000 }).ask({
      model: ctx.loaded.config.model.triageModel ?? ctx.loaded.config.model.criticModel,
      maxTokens: 1,
      prompt: { system: [], tools: [] },
      messages: [{ role: "user", content: "ping" }],
    });
    return { name: "model", ok: true, detail: `anthropic reachable${ctx.env.ANTHROPIC_BASE_URL ? ` at ${ctx.env.ANTHROPIC_BASE_URL}` : ""}, key accepted` };
  } catch (error) {
    const status = (error as { status?: number }).status;
    return {
      name: "model",
      ok: false,
      detail: `the model call failed${status ? ` (HTTP ${status})` : ""}: ${(error as Error).message}`,
      fix: status === 401 ? "ANTHROPIC_API_KEY is wrong or revoked: set a valid key" : "check the network, ANTHROPIC_BASE_URL and the model names in config",
    };
  }
}

/** The daemon's own verdict: it stopped calling the model after the API refused its key. */
function _checkModelBlock(ctx: VigilContext): CheckResult[] {
  const block = createDaemonState(ctx.db).get<AuthBlock>(AUTH_BLOCK_KEY);
  return block ? [{ name: "model calls", ok: false, detail: `paused since ${block.since}: the API refused the daemon's key (${block.message})`, fix: AUTH_FIX }] : [];
}

/** Subscriptions that nothing can deliver are a silent failure: fail them here, with the fix. */
function _checkGithubDelivery(ctx: VigilContext): CheckResult {
  const refs = [...createSubscriptionStore(ctx.db).list().map(formatSubscriptionRef), ...ctx.loaded.config.github.subscriptions.map((text) => text.toLowerCase())];
  const followed = new Set(refs).size;
  const delivery = describeGithubDelivery(ctx.loaded.config, hasGithubToken(ctx.loaded, ctx.env));
  if (followed === 0) return { name: "github delivery", ok: true, detail: delivery.ok ? `no subscriptions; events would arrive by ${delivery.how}` : "no subscriptions" };
  return delivery.ok
    ? { name: "github delivery", ok: true, detail: `${followed} subscription(s); events arrive by ${delivery.how}` }
    : { name: "github delivery", ok: false, detail: `${followed} subscription(s), but ${delivery.why}`, fix: delivery.fix };
}

/**
 * What the service will see: service.env plus its own environment. Names only, never values; a
 * secret that only this shell has is a failure once the service is installed, since it runs
 * without it.
 */
function _checkSecrets(ctx: VigilContext, env: DoctorEnv): CheckResult {
  const file = serviceEnvFile(ctx.paths.home);
  const missing = findMissingSecrets(ctx.loaded.config, ctx.env, ctx.loaded.file)[0];
  if (missing) return { name: "secrets", ok: false, detail: missing.message.split("\n")[0]!, fix: missing.fix };
  const fromFile = readServiceEnv(ctx.paths.home);
  const present = listSecretNames(ctx.loaded.config).filter((name) => ctx.env[name]);
  const shellOnly = present.filter((name) => !fromFile[name] && env.shellEnv?.[name]);
  if (shellOnly.length && env.serviceFile && existsSync(env.serviceFile)) {
    return {
      name: "secrets",
      ok: false,
      detail: `${shellOnly.join(", ")} ${shellOnly.length > 1 ? "are" : "is"} set in this shell only: the installed service will not see ${shellOnly.length > 1 ? "them" : "it"}`,
      fix: `add ${shellOnly.map((name) => `${name}=…`).join(" and ")} to ${file} (chmod 600)`,
    };
  }
  const where = (name: string) => `${name} (${fromFile[name] ? "service.env" : "this shell"})`;
  return { name: "secrets", ok: true, detail: present.length ? present.map(where).join(", ") : `none set (${file} holds them for the service)` };
}

/** No channel that can reach the user is a warning, not a failure: notifications are still kept. */
function _checkNotifiers(ctx: VigilContext): CheckResult {
  const { desktop, ntfy } = ctx.loaded.config.notify;
  const channels = [ntfy.topic ? `ntfy (${ntfy.server}/${ntfy.topic})` : "", desktop ? "desktop" : ""].filter(Boolean);
  const instead = "notifications go to the journal (vigil log) and the morning review (vigil review) instead";
  const addNtfy = "for phone pushes set notify.ntfy.topic to a hard-to-guess name and subscribe to it in the ntfy app";
  if (channels.length === 0) return { name: "notifiers", ok: true, warn: true, detail: `every channel is off: ${instead}`, fix: `${addNtfy}, or set notify.desktop: true` };
  const headless = desktop && !ntfy.topic && process.platform === "linux" && !ctx.env.DISPLAY && !ctx.env.WAYLAND_DISPLAY && !ctx.env.DBUS_SESSION_BUS_ADDRESS;
  return headless
    ? { name: "notifiers", ok: true, warn: true, detail: `desktop only, and this session has no display or D-Bus session bus (no DISPLAY, WAYLAND_DISPLAY or DBUS_SESSION_BUS_ADDRESS): ${instead}`, fix: addNtfy }
    : { name: "notifiers", ok: true, detail: channels.join(", then ") };
}

/** A port taken fails only when webhooks need it; otherwise the daemon runs without HTTP (a warning). */
async function _checkPort(ctx: VigilContext): Promise<CheckResult> {
  const { host, port } = ctx.loaded.config.server;
  const webhooks = ctx.loaded.config.github.webhooks.enabled;
  const lock = readInstanceLock(ctx.paths.lockFile);
  if (lock && isLockHolderRunning(lock)) {
    const http = readHttpRunState(ctx.paths.runDir);
    if (http?.pid === lock.pid && http.problem) {
      return { name: "webhook port", ok: true, warn: true, detail: `the running daemon (pid ${lock.pid}) is not listening: ${http.problem.reason}; off: ${http.problem.off.join("; ")}`, fix: `${http.problem.fix}, then restart vigil` };
    }
    return { name: "webhook port", ok: true, detail: `in use by the running daemon (pid ${lock.pid})${http?.url ? ` at ${http.url}` : ""}` };
  }
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer().once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
  const exposed = !["127.0.0.1", "::1", "localhost"].includes(host);
  if (!free) {
    const detail = `${host}:${port} is taken by another program: ${webhooks ? "GitHub webhooks are enabled, so vigil start would exit 78" : "the daemon would run without HTTP (no health endpoint, no review page)"}`;
    return { name: "webhook port", ok: !webhooks, warn: !webhooks, detail, fix: "set server.port to a free port" };
  }
  return { name: "webhook port", ok: true, detail: `${host}:${port} is free${exposed ? " (listening beyond loopback: put a TLS proxy in front)" : ""}` };
}

function _checkWatchRoots(ctx: VigilContext, env: DoctorEnv): CheckResult[] {
  const roots = ctx.loaded.config.watch.map((root) => expandHome(root.path, ctx.env));
  const missing = roots.filter((root) => !existsSync(root));
  const results: CheckResult[] = [
    missing.length
      ? { name: "watch roots", ok: false, detail: `missing: ${missing.join(", ")}`, fix: "create them or remove them from watch: in config.yaml" }
      : { name: "watch roots", ok: true, detail: roots.length ? `${roots.length} root(s)` : "none configured" },
  ];
  if (env.inotifyFile && existsSync(env.inotifyFile) && roots.length) {
    const limit = Number(readFileSync(env.inotifyFile, "utf8").trim());
    results.push(
      limit >= 65_536
        ? { name: "inotify limit", ok: true, detail: `max_user_watches ${limit}` }
        : { name: "inotify limit", ok: false, detail: `max_user_watches is ${limit}; large trees will hit it`, fix: "sudo sysctl fs.inotify.max_user_watches=524288 (and persist it in /etc/sysctl.d)" },
    );
  }
  return results;
}

function _checkService(env: DoctorEnv): CheckResult {
  if (!env.serviceFile) return { name: "service", ok: true, detail: "not applicable on this platform" };
  return existsSync(env.serviceFile)
    ? { name: "service", ok: true, detail: `installed: ${env.serviceFile}` }
    : { name: "service", ok: true, detail: "not installed (vigil install sets it up; running by hand is fine)" };
}
