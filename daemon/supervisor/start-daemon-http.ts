import type { VigilContext } from "../context/open-context.js";
import { withHostCheck } from "../http/check-host.js";
import { ConfigError } from "../config/config-error.js";
import { locateConfigKey } from "../config/locate-config-key.js";
import { createHealthHandler } from "../http/health-handler.js";
import { createPageHandler } from "../review/page/page-routes.js";
import { loadPageSecret } from "../review/page/page-secret.js";
import { startHttpServer, type RouteHandler, type RunningHttpServer } from "../http/start-http-server.js";
import { createWebhookHandler } from "../http/webhook-handler.js";
import { removeHttpRunState, writeHttpRunState, type HttpRunState } from "../locks/http-run-file.js";
import { readProcessStart } from "../locks/process-identity.js";
import { VERSION } from "../version.js";
import type { Runtime } from "./assemble-runtime.js";

export interface DaemonHttp {
  /** Undefined when the address could not be bound. */
  server: RunningHttpServer | undefined;
  state: HttpRunState;
  /** Closes the server and removes run/http.json. */
  close(): Promise<void>;
}

/**
 * Starts `/healthz`, the review page and, when enabled, the GitHub webhook route, and records the
 * outcome in run/http.json. Every route but the webhook (signed, and reached through tunnels that
 * bring their own Host) refuses a foreign Host. An address that cannot be bound is journaled and
 * the daemon goes on without HTTP (files, schedules and polling still work), except when webhooks
 * are enabled: then it cannot do its configured job, and that is a ConfigError naming server.port.
 */
export async function startDaemonHttp(ctx: VigilContext, runtime: Runtime, startedAt: Date, live: () => Record<string, unknown>): Promise<DaemonHttp> {
  const { config, secrets } = ctx.loaded;
  const webhook =
    config.github.webhooks.enabled && secrets.webhookSecret
      ? createWebhookHandler({ store: runtime.store, secret: secrets.webhookSecret, now: ctx.now })
      : undefined;
  const routes: Record<string, RouteHandler> = {
    "/healthz": withHostCheck(config.server.host, createHealthHandler(() => ({
      version: VERSION,
      pid: process.pid,
      startedAt: startedAt.toISOString(),
      uptimeSeconds: Math.round((ctx.now().getTime() - startedAt.getTime()) / 1000),
      pendingEvents: ctx.events.countPending(),
      webhooks: webhook ? webhook.counters : null,
      ...live(),
    }))),
  };
  const page = withHostCheck(config.server.host, createPageHandler(ctx, runtime, loadPageSecret(ctx.paths.home)));
  // The page answers every other path too; listed under "/" so a bind failure names it.
  routes["/"] = page;
  if (webhook) routes[config.github.webhooks.path] = webhook.handle;
  const base = { pid: process.pid, procStart: readProcessStart(process.pid), address: `${config.server.host}:${config.server.port}` };
  let server: RunningHttpServer | undefined;
  let state: HttpRunState;
  try {
    server = await startHttpServer({ host: config.server.host, port: config.server.port, routes, fallback: page, logger: ctx.logger });
    state = { ...base, listening: true, url: server.url };
  } catch (error) {
    state = { ...base, listening: false, problem: _describeBindFailure(ctx, error as NodeJS.ErrnoException, base.address, routes) };
  }
  writeHttpRunState(ctx.paths.runDir, state);
  return {
    server,
    state,
    async close() {
      await server?.close();
      removeHttpRunState(ctx.paths.runDir);
    },
  };
}

/** Journals why the address could not be bound and what is off; throws when webhooks need it. */
function _describeBindFailure(ctx: VigilContext, error: NodeJS.ErrnoException, address: string, routes: Record<string, RouteHandler>): NonNullable<HttpRunState["problem"]> {
  const { config, file } = ctx.loaded;
  const code = error.code ?? null;
  const reason = code === "EADDRINUSE" ? `${address} is taken by another program` : `${address} cannot be bound: ${code ?? error.message}`;
  const key = code === "EADDRINUSE" ? "server.port" : "server.host";
  const fix = code === "EADDRINUSE" ? `set server.port to a free port${file ? ` in ${file}` : ""} (vigil doctor checks it)` : "check server.host and server.port";
  const off = _whatRoutesServe(ctx, routes);
  ctx.journal.append({
    kind: "error",
    summary: `HTTP server not started on ${address}: ${code ?? error.message}; ${fix}`,
    data: { code, host: config.server.host, port: config.server.port, off },
  });
  if (config.github.webhooks.enabled) {
    throw new ConfigError({
      keyPath: key,
      file,
      line: locateConfigKey(file, key.split(".")),
      problem: `${reason}, so GitHub webhooks (github.webhooks.enabled) cannot be received`,
      fix,
    });
  }
  return { code, reason, off, fix };
}

/** What a user loses without the server, in words, from the routes it would have served. */
function _whatRoutesServe(ctx: VigilContext, routes: Record<string, RouteHandler>): string[] {
  const webhookPath = ctx.loaded.config.github.webhooks.path;
  return Object.keys(routes).map((route) =>
    route === webhookPath ? `GitHub webhooks (${route})` : route === "/healthz" ? "the health endpoint /healthz (vigil status reads the database instead)" : route === "/" ? "the review page (vigil open)" : route,
  );
}
