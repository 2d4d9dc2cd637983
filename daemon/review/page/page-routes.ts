import type { IncomingMessage, ServerResponse } from "node:http";
import type { VigilContext } from "../../context/open-context.js";
import type { RouteHandler } from "../../http/start-http-server.js";
import type { Runtime } from "../../supervisor/assemble-runtime.js";
import { hostNameOf } from "../../http/check-host.js";
import { createLoginTokens } from "./login-tokens.js";
import { createPageActions } from "./page-actions.js";
import { BadDayError, createPageApi } from "./page-api.js";
import { loadInlinePageCode, loadPageAssets } from "./page-assets.js";
import { createPageSessions, type PageSession } from "./page-session.js";
import { renderPageHtml } from "./render-page-html.js";
import { sendPageJson, sendPageResponse } from "./send-page-response.js";

const HTML = "text/html; charset=utf-8";

/**
 * The review page (`/`, `/login`, `/assets/…`, `/api/…`) behind its session. The Host check runs
 * before this (check-host.ts); here: the one-time login, the session cookie on every other path,
 * and for a POST the CSRF token and an `Origin` that is this very server.
 */
export function createPageHandler(ctx: VigilContext, runtime: Runtime, secret: Buffer): RouteHandler {
  const sessions = createPageSessions(secret);
  const logins = createLoginTokens(ctx.db);
  // Read and compressed at the first request for the page, not while the daemon starts.
  let loaded: { assets: ReturnType<typeof loadPageAssets>; code: ReturnType<typeof loadInlinePageCode> } | undefined;
  const page = () => (loaded ??= { assets: loadPageAssets(), code: loadInlinePageCode() });
  const api = createPageApi(ctx, runtime);
  const actions = createPageActions(ctx, runtime);

  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/login") return _login(req, res, url);
    const session = sessions.read(req.headers.cookie, ctx.now());
    if (!session) return _unauthorized(req, res, url);
    if (req.method === "POST") return _post(req, res, url, session);
    if (req.method !== "GET" && req.method !== "HEAD") return sendPageJson(req, res, 405, { error: "use GET, or POST for an action" });
    if (url.pathname === "/") return _page(req, res, url, session);
    const asset = page().assets.get(url.pathname);
    if (asset) return sendPageResponse(req, res, 200, asset.type, asset.body, { gzip: asset.gzip, headers: { "cache-control": "private, max-age=3600" } });
    if (url.pathname.startsWith("/api/") && api.handle(req, res, url)) return;
    sendPageJson(req, res, 404, { error: "not found" });
  };

  function _login(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!logins.consume(url.searchParams.get("token") ?? "", ctx.now())) {
      return sendPageResponse(req, res, 401, HTML, _message("This login link was already used or has expired.", "Run <code>vigil open</code> for a new one."));
    }
    const { cookie } = sessions.start(ctx.now());
    res.writeHead(303, { location: "/", "set-cookie": cookie, "cache-control": "no-store", "referrer-policy": "no-referrer" }).end();
  }

  function _page(req: IncomingMessage, res: ServerResponse, url: URL, session: PageSession): void {
    try {
      sendPageResponse(req, res, 200, HTML, renderPageHtml(api.boot(url.searchParams.get("day")), session.csrf, page().code), { headers: { "content-security-policy": page().code.csp } });
    } catch (error) {
      if (!(error instanceof BadDayError)) throw error;
      sendPageResponse(req, res, 400, HTML, _message(_escape(error.message), '<a href="/">Back to the review</a>'));
    }
  }

  async function _post(req: IncomingMessage, res: ServerResponse, url: URL, session: PageSession): Promise<void> {
    const origin = req.headers.origin;
    const sameOrigin = typeof origin === "string" && origin === `http://${req.headers.host}` && hostNameOf(req.headers.host) !== undefined;
    if (!sameOrigin) return sendPageJson(req, res, 403, { error: "a POST must come from this page (its Origin is not this server)" });
    if (!sessions.checkCsrf(session, req.headers["x-csrf-token"])) return sendPageJson(req, res, 403, { error: "missing or wrong CSRF token: reload the page" });
    if (!(await actions.handle(req, res, url))) sendPageJson(req, res, 404, { error: "not found" });
  }
}

function _unauthorized(req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/assets/")) return sendPageJson(req, res, 401, { error: "not logged in: open the link that `vigil open` prints" });
  sendPageResponse(req, res, 401, HTML, _message("Not logged in.", "Run <code>vigil open</code> in a terminal: it prints a one-time link that logs this browser in."));
}

function _message(title: string, hint: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vigil</title><link rel="icon" href="data:,"></head><body><h1>${title}</h1><p>${hint}</p></body></html>\n`;
}

function _escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
