import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

/**
 * Nothing but this machine: scripts and styles from the daemon itself, and inline only the blocks
 * whose hashes are named (the page's own script and style); no frames, no form posting elsewhere.
 * The boot data is a JSON block, which CSP does not run.
 */
export function pageContentSecurityPolicy(scriptHash = "", styleHash = ""): string {
  const with_ = (hash: string) => (hash ? ` ${hash}` : "");
  return `default-src 'none'; script-src 'self'${with_(scriptHash)}; style-src 'self'${with_(styleHash)}; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
}

const SECURITY_HEADERS = {
  "content-security-policy": pageContentSecurityPolicy(),
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** Answers with the page's security headers, gzipped when the client takes it and it pays. */
export function sendPageResponse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer | string,
  options: { gzip?: Buffer; headers?: Record<string, string> } = {},
): void {
  const raw = typeof body === "string" ? Buffer.from(body) : body;
  const gzipOk = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const zipped = gzipOk && raw.length > 1024 ? (options.gzip ?? gzipSync(raw, { level: 6 })) : undefined;
  const sent = zipped ?? raw;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": type,
    "content-length": sent.length,
    "cache-control": "no-store",
    vary: "Accept-Encoding, Cookie",
    ...(zipped ? { "content-encoding": "gzip" } : {}),
    ...options.headers,
  });
  res.end(req.method === "HEAD" ? undefined : sent);
}

export function sendPageJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  sendPageResponse(req, res, status, "application/json; charset=utf-8", JSON.stringify(value));
}
