import { writeFileSync } from "node:fs";
import { PRIVATE_FILE_MODE } from "../store/private-files.js";
import path from "node:path";
import type { VigilContext } from "../context/open-context.js";
import { createHealthHandler } from "../http/health-handler.js";
import { startHttpServer, type RouteHandler, type RunningHttpServer } from "../http/start-http-server.js";
import { createWebhookHandler } from "../http/webhook-handler.js";
import { VERSION } from "../version.js";
import type { Runtime } from "./assemble-runtime.js";

/**
 * Starts `/healthz` and, when enabled, the GitHub webhook route. A port that cannot be bound is
 * journaled and the daemon goes on without HTTP: files, schedules and polling still work.
 */
export async function startDaemonHttp(ctx: VigilContext, runtime: Runtime, startedAt: Date, live: () => Record<string, unknown>): Promise<RunningHttpServer | undefined> {
  const { config, secrets } = ctx.loaded;
  const webhook =
    config.github.webhooks.enabled && secrets.webhookSecret
      ? createWebhookHandler({ ...ctx, subscriptions: runtime.subscriptions, secret: secrets.webhookSecret })
      : undefined;
  const routes: Record<string, RouteHandler> = {
    "/healthz": createHealthHandler(() => ({
      version: VERSION,
      pid: process.pid,
      startedAt: startedAt.toISOString(),
      uptimeSeconds: Math.round((ctx.now().getTime() - startedAt.getTime()) / 1000),
      pendingEvents: ctx.events.countPending(),
      webhooks: webhook ? webhook.counters : null,
      ...live(),
    })),
  };
  if (webhook) routes[config.github.webhooks.path] = webhook.handle;
  try {
    const server = await startHttpServer({ host: config.server.host, port: config.server.port, routes, logger: ctx.logger });
    writeFileSync(path.join(ctx.paths.runDir, "http.json"), JSON.stringify({ url: server.url, pid: process.pid }), { mode: PRIVATE_FILE_MODE });
    return server;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    ctx.journal.append({
      kind: "error",
      summary: `HTTP server not started on ${config.server.host}:${config.server.port}: ${code ?? message}; ${code === "EADDRINUSE" ? "another program uses the port: set server.port" : "check server.host and server.port"}`,
      data: { code: code ?? null, host: config.server.host, port: config.server.port },
    });
    return undefined;
  }
}
