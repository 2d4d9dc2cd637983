import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./send-json.js";

/** `GET /healthz`: 200 with the daemon's live status as JSON. */
export function createHealthHandler(status: () => Record<string, unknown>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: "use GET" });
    sendJson(res, 200, { status: "ok", ...status() });
  };
}
