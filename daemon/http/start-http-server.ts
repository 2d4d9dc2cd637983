import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger/create-logger.js";
import { sendJson } from "./send-json.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Exact paths to handlers; anything else is 404. */
  routes: Record<string, RouteHandler>;
  /** Answers every path no exact route has (the review page); without it, 404. */
  fallback?: RouteHandler;
  logger: Logger;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The daemon's one HTTP server (webhooks, health, the review page). Binds where config says, loopback by
 * default. A handler that throws answers 500 and is logged; it never takes the daemon down.
 */
export async function startHttpServer({ host, port, routes, fallback, logger }: HttpServerOptions): Promise<RunningHttpServer> {
  const server = createServer(async (req, res) => {
    const route = routes[new URL(req.url ?? "/", "http://localhost").pathname] ?? fallback;
    try {
      if (route) await route(req, res);
      else sendJson(res, 404, { error: "not found" });
    } catch (error) {
      logger.error({ err: error, url: req.url }, "http handler failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.destroy();
    }
  });
  // A slow or stalled client must not hold a socket open for long.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
