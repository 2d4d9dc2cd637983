import type { IncomingMessage, ServerResponse } from "node:http";
import type { RouteHandler } from "./start-http-server.js";
import { sendJson } from "./send-json.js";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1"]);

/** The host name of a `Host` header (`[::1]:8750` → `::1`), lower-cased; undefined when malformed. */
export function hostNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/i.exec(header.trim());
  return match ? (match[1] ?? match[2])!.toLowerCase() : undefined;
}

/** True when `Host` names this server: the configured host or a loopback name. */
export function isOwnHost(header: string | undefined, configuredHost: string): boolean {
  const name = hostNameOf(header);
  if (!name) return false;
  return LOOPBACK_NAMES.has(name) || name === configuredHost.toLowerCase().replace(/^\[|\]$/g, "");
}

/**
 * Refuses a request whose `Host` is another name (421): a DNS-rebinding page that points its own
 * name at 127.0.0.1 reaches the socket but never gets past this.
 */
export function withHostCheck(configuredHost: string, handler: RouteHandler): RouteHandler {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!isOwnHost(req.headers.host, configuredHost)) {
      return sendJson(res, 421, { error: `Host "${req.headers.host ?? ""}" is not this server; use http://${configuredHost}:PORT/ (vigil open prints it)` });
    }
    return handler(req, res);
  };
}
