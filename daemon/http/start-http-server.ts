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
  const routeOf = _createRouteLookup(routes);
  const server = createServer(async (req, res) => {
    const route = routeOf(req.url ?? "/") ?? fallback;
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

/**
 * The handler for a request target. A target whose path is, as sent, one of the routes' own
 * canonical paths (what a webhook sender and the page send) is looked up as it is; any other goes
 * through WHATWG URL parsing (dot segments, percent-encoding, "//host"), as every request did:
 * parsing costs a webhook microseconds a request, and for those paths it gives the same answer.
 */
function _createRouteLookup(routes: Record<string, RouteHandler>): (target: string) => RouteHandler | undefined {
  const canonical = new Map(Object.entries(routes).filter(([route]) => _pathnameOf(route) === route));
  return (target) => {
    const query = target.indexOf("?");
    const exact = canonical.get(query === -1 ? target : target.slice(0, query));
    return exact ?? routes[_pathnameOf(target)];
  };
}

function _pathnameOf(target: string): string {
  return new URL(target, "http://localhost").pathname;
}
