import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback server that speaks the parts of GitHub's REST API Vigil uses: pulls (one, list and
 * create), a repository, check runs of a commit, comments and reviews. It answers conditional
 * requests with 304 as GitHub does (ETag / If-None-Match) and lets a test set rate-limit headers.
 */
export interface GithubApiServer {
  url: string;
  requests: Array<{ method: string; path: string; headers: IncomingMessage["headers"]; body: any }>;
  pulls: Map<string, Record<string, any>>;
  checkRuns: Map<string, Array<Record<string, any>>>;
  /** Extra headers on every response (X-RateLimit-*, X-Poll-Interval, Retry-After). */
  headers: Record<string, string>;
  close(): Promise<void>;
}

export function makePull(repo: string, number: number, sha: string, extra: Record<string, any> = {}): Record<string, any> {
  return {
    number,
    state: "open",
    draft: false,
    merged: false,
    title: `PR ${number}`,
    body: "",
    html_url: `https://github.com/${repo}/pull/${number}`,
    head: { sha, ref: "feature" },
    user: { login: "octocat" },
    author_association: "MEMBER",
    created_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-20T10:00:00Z",
    closed_at: null,
    ...extra,
  };
}

export async function startGithubApiServer(): Promise<GithubApiServer> {
  const state: Omit<GithubApiServer, "url" | "close"> = { requests: [], pulls: new Map(), checkRuns: new Map(), headers: {} };
  let ids = 1000;
  const server = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const path = new URL(req.url!, "http://x").pathname;
    state.requests.push({ method: req.method!, path, headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
    if (req.headers.authorization !== "token ghp_testtoken0123456789abcdefghijklmn" && !String(req.headers.authorization).endsWith("ghp_testtoken0123456789abcdefghijklmn")) {
      return _send(res, 401, { message: "Bad credentials" }, state.headers);
    }
    let match: RegExpExecArray | null;
    if (req.method === "GET" && (match = /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)$/.exec(path))) {
      const pull = state.pulls.get(`${match[1]}#${match[2]}`);
      return pull ? _conditional(req, res, pull, state.headers) : _send(res, 404, { message: "Not Found" }, state.headers);
    }
    if (req.method === "GET" && (match = /^\/repos\/([^/]+\/[^/]+)\/pulls$/.exec(path))) {
      const repo = match[1]!;
      return _conditional(req, res, [...state.pulls.entries()].filter(([key, pull]) => key.startsWith(`${repo}#`) && pull.state === "open").map(([, pull]) => pull), state.headers);
    }
    if (req.method === "GET" && (match = /^\/repos\/[^/]+\/[^/]+\/commits\/([^/]+)\/check-runs$/.exec(path))) {
      const runs = state.checkRuns.get(match[1]!) ?? [];
      return _conditional(req, res, { total_count: runs.length, check_runs: runs }, state.headers);
    }
    if (req.method === "POST" && (match = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path))) {
      if (!state.pulls.has(`${match[1]}#${match[2]}`)) return _send(res, 404, { message: "Not Found" }, state.headers);
      const id = ++ids;
      return _send(res, 201, { id, html_url: `https://github.com/${match[1]}/pull/${match[2]}#issuecomment-${id}` }, state.headers);
    }
    if (req.method === "POST" && (match = /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)\/reviews$/.exec(path))) {
      const id = ++ids;
      return _send(res, 200, { id, state: "COMMENTED", html_url: `https://github.com/${match[1]}/pull/${match[2]}#pullrequestreview-${id}` }, state.headers);
    }
    if (req.method === "GET" && (match = /^\/repos\/([^/]+\/[^/]+)$/.exec(path))) {
      return _send(res, 200, { full_name: match[1], default_branch: "main" }, state.headers);
    }
    if (req.method === "POST" && (match = /^\/repos\/([^/]+\/[^/]+)\/pulls$/.exec(path))) {
      const body = JSON.parse(raw) as { title?: string; head?: string; base?: string; body?: string };
      if (!body.title || !body.head || !body.base) return _send(res, 422, { message: "Validation Failed" }, state.headers);
      const number = ++ids;
      const pull = makePull(match[1]!, number, "0".repeat(40), { title: body.title, body: body.body ?? "", head: { sha: "0".repeat(40), ref: body.head }, base: { ref: body.base } });
      state.pulls.set(`${match[1]}#${number}`, pull);
      return _send(res, 201, pull, state.headers);
    }
    _send(res, 404, { message: "Not Found" }, state.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    ...state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function _conditional(req: IncomingMessage, res: ServerResponse, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  const etag = `"${createHash("sha1").update(text).digest("hex")}"`;
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, { etag, ...headers }).end();
    return;
  }
  res.writeHead(200, { "content-type": "application/json", etag, ...headers }).end(text);
}

function _send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}
