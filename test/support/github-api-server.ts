import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback server that speaks the parts of GitHub's REST API Vigil uses: pulls (one, list and
 * create), a repository, check runs of a commit, comments (`since=`), reviews and review
 * comments of a PR, the user's notifications (Last-Modified / If-Modified-Since), the token's user
 * and its rate limit. It answers conditional requests with 304 as GitHub does (ETag /
 * If-None-Match) and lets a test set rate-limit headers.
 */
export interface GithubApiServer {
  url: string;
  requests: Array<{ method: string; path: string; headers: IncomingMessage["headers"]; body: any }>;
  pulls: Map<string, Record<string, any>>;
  checkRuns: Map<string, Array<Record<string, any>>>;
  /** By `owner/repo#N`: comments on the PR (issue comments), reviews, review comments. */
  issueComments: Map<string, Array<Record<string, any>>>;
  reviews: Map<string, Array<Record<string, any>>>;
  reviewComments: Map<string, Array<Record<string, any>>>;
  notifications: Array<Record<string, any>>;
  /** When the notifications last changed (Last-Modified); set it with each change. */
  notificationsModified: string;
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
  const state: Omit<GithubApiServer, "url" | "close"> = {
    requests: [],
    pulls: new Map(),
    checkRuns: new Map(),
    issueComments: new Map(),
    reviews: new Map(),
    reviewComments: new Map(),
    notifications: [],
    notificationsModified: "Wed, 15 May 2019 15:00:00 GMT",
    headers: {},
  };
  let ids = 1000;
  const server = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url!, "http://x");
    const path = url.pathname;
    const since = url.searchParams.get("since") ?? "";
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
    if (req.method === "GET" && (match = /^\/repos\/([^/]+\/[^/]+)\/(issues|pulls)\/(\d+)\/(comments|reviews)$/.exec(path))) {
      const key = `${match[1]}#${match[3]}`;
      const list = match[4] === "reviews" ? state.reviews : match[2] === "issues" ? state.issueComments : state.reviewComments;
      // GitHub's since= keeps what was updated at or after the time.
      return _conditional(req, res, (list.get(key) ?? []).filter((item) => !since || String(item.updated_at ?? item.submitted_at) >= since), state.headers);
    }
    if (req.method === "GET" && path === "/notifications") {
      if (req.headers["if-modified-since"] === state.notificationsModified) return void res.writeHead(304, { "last-modified": state.notificationsModified, "x-poll-interval": "60", ...state.headers }).end();
      return void res.writeHead(200, { "content-type": "application/json", "last-modified": state.notificationsModified, "x-poll-interval": "60", ...state.headers }).end(JSON.stringify(state.notifications));
    }
    if (req.method === "GET" && path === "/user") return _send(res, 200, { login: "octocat", id: 1 }, state.headers);
    if (req.method === "GET" && path === "/rate_limit") return _send(res, 200, { resources: { core: { limit: 5000, remaining: 4990, reset: 1_900_000_000, used: 10 } }, rate: { limit: 5000, remaining: 4990, reset: 1_900_000_000, used: 10 } }, state.headers);
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
  // The same object the handler reads, so a test can reassign notifications and headers.
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  });
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
