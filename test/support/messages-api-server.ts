import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback server that speaks the Anthropic Messages API well enough for the real
 * @anthropic-ai/sdk: scripted tool_use and text replies, streaming (SSE) and not, errors with
 * retry headers, and usage with prompt-cache fields computed from the request's cache_control
 * breakpoints (first sight of a prefix is a cache write, later sights are reads).
 */

export type ScriptedBlock = { type: "text"; text: string } | { type: "tool_use"; name: string; input: Record<string, unknown> };

export type ScriptedReply =
  | { kind: "message"; content: ScriptedBlock[]; stopReason?: "end_turn" | "tool_use" | "max_tokens" }
  | { kind: "error"; status: number; type?: string; retryAfterMs?: number; message?: string }
  | { kind: "hang" }
  | { kind: "malformed" }
  | { kind: "cut-stream" };

export type Responder = (request: RecordedRequest) => ScriptedReply;

export interface RecordedRequest {
  raw: string;
  body: {
    model: string;
    stream?: boolean;
    system?: unknown;
    tools?: Array<{ name: string }>;
    messages: Array<{ role: string; content: unknown }>;
    [key: string]: unknown;
  };
  headers: IncomingMessage["headers"];
}

export const toolUse = (name: string, input: Record<string, unknown> = {}): ScriptedReply => ({
  kind: "message",
  content: [{ type: "tool_use", name, input }],
  stopReason: "tool_use",
});
export const text = (value: string): ScriptedReply => ({ kind: "message", content: [{ type: "text", text: value }], stopReason: "end_turn" });
export const apiError = (status: number, retryAfterMs = 5): ScriptedReply => ({
  kind: "error",
  status,
  type: status === 529 ? "overloaded_error" : status === 429 ? "rate_limit_error" : "api_error",
  retryAfterMs,
});

export interface MessagesApiServer {
  url: string;
  requests: RecordedRequest[];
  /** Every request refused for its key ("METHOD path"): keys with sk-revoked get 401, sk-forbidden 403. */
  refused: string[];
  /** Replies used in order; when none are left the fallback answers. */
  script(...replies: Array<ScriptedReply | Responder>): void;
  setFallback(responder: Responder): void;
  close(): Promise<void>;
}

export interface MessagesApiServerOptions {
  fallback?: Responder;
  /** The clock cache entries age by; a benchmark simulating a day passes its own. */
  now?: () => number;
}

export async function startMessagesApiServer(options: MessagesApiServerOptions = {}): Promise<MessagesApiServer> {
  const queue: Array<ScriptedReply | Responder> = [];
  const requests: RecordedRequest[] = [];
  const refused: string[] = [];
  const cache = new Map<string, number>();
  const now = options.now ?? Date.now;
  const hanging = new Set<ServerResponse>();
  let fallback: Responder = options.fallback ?? (() => toolUse("stay_quiet", { reason: "nothing to do" }));
  let ids = 0;

  const server: Server = createServer(async (req, res) => {
    const raw = await _readBody(req);
    const credential = String(req.headers.authorization ?? req.headers["x-api-key"]);
    if (credential.includes("sk-revoked") || credential.includes("sk-forbidden")) {
      refused.push(`${req.method} ${req.url}`);
      if (credential.includes("sk-revoked")) _sendJson(res, 401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
      else _sendJson(res, 403, { type: "error", error: { type: "permission_error", message: "this key may not use this organization" } });
      return;
    }
    if (req.method === "GET" && req.url?.startsWith("/v1/models")) {
      _sendJson(res, 200, { data: [{ type: "model", id: "claude-haiku-5-5", display_name: "Claude Haiku", created_at: "2026-01-01T00:00:00Z" }], has_more: false, first_id: "claude-haiku-5-5", last_id: "claude-haiku-5-5" });
      return;
    }
    if (req.method !== "POST" || !req.url?.startsWith("/v1/messages")) {
      _sendJson(res, 404, { type: "error", error: { type: "not_found_error", message: `no route ${req.method} ${req.url}` } });
      return;
    }
    const request: RecordedRequest = { raw, body: JSON.parse(raw) as RecordedRequest["body"], headers: req.headers };
    requests.push(request);
    const next = queue.shift() ?? fallback;
    const reply = typeof next === "function" ? next(request) : next;
    const usage = _usageFor(raw, cache, now());
    const id = `msg_${++ids}`;
    switch (reply.kind) {
      case "error":
        res.setHeader("retry-after-ms", String(reply.retryAfterMs ?? 5));
        _sendJson(res, reply.status, { type: "error", error: { type: reply.type ?? "api_error", message: reply.message ?? `scripted ${reply.status}` } });
        return;
      case "hang":
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      case "malformed":
        res.writeHead(200, { "content-type": "application/json" }).end('{"id": "msg_bad", "content": [');
        return;
      case "cut-stream":
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(_sse("message_start", { type: "message_start", message: _message(id, request.body.model, [], null, usage) }));
        res.destroy();
        return;
      case "message": {
        const content = reply.content.map((block, index) =>
          block.type === "tool_use" ? { type: "tool_use", id: `toolu_${id}_${index}`, name: block.name, input: block.input } : block,
        );
        const stopReason = reply.stopReason ?? (content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn");
        if (request.body.stream) _streamMessage(res, _message(id, request.body.model, content, stopReason, usage));
        else _sendJson(res, 200, _message(id, request.body.model, content, stopReason, usage));
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    refused,
    script: (...replies) => queue.push(...replies),
    setFallback: (responder) => {
      fallback = responder;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/**
 * Roughly 4 characters a token. The cached part is the raw body up to the last cache_control; an
 * entry lives 5 minutes, or an hour when the breakpoint asks for `"ttl":"1h"`, and each read
 * refreshes it, as the API documents. As the API looks back for earlier cached prefixes, a
 * request whose prefix (markers left out) extends an earlier one reads that one and writes
 * only the rest: a conversation that moves its breakpoint to the newest message reads the last
 * step's prefix.
 */
function _usageFor(raw: string, cache: Map<string, number>, now: number): Usage {
  const boundary = raw.lastIndexOf('"cache_control"');
  const prefix = boundary === -1 ? "" : raw.slice(0, boundary).replace(/,$/, "").replace(/,"cache_control":\{[^}]*\}/g, "");
  const ttlMs = /^"cache_control":\{[^}]*"ttl":"1h"/.test(raw.slice(boundary)) ? 3_600_000 : 300_000;
  let hit = "";
  for (const [key, at] of cache) if (key.length > hit.length && now - at <= ttlMs && prefix.startsWith(key)) hit = key;
  if (hit) cache.set(hit, now);
  if (prefix) cache.set(prefix, now);
  return {
    input_tokens: Math.ceil((raw.length - (boundary === -1 ? 0 : boundary)) / 4),
    output_tokens: 20,
    cache_creation_input_tokens: Math.ceil((prefix.length - hit.length) / 4),
    cache_read_input_tokens: Math.ceil(hit.length / 4),
  };
}

function _message(id: string, model: string, content: unknown[], stopReason: string | null, usage: Usage) {
  return { id, type: "message", role: "assistant", model, content, stop_reason: stopReason, stop_sequence: null, usage };
}

function _streamMessage(res: ServerResponse, message: ReturnType<typeof _message>): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(_sse("message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } }));
  message.content.forEach((block, index) => {
    const typed = block as { type: string; text?: string; input?: unknown };
    const start = typed.type === "tool_use" ? { ...typed, input: {} } : { type: "text", text: "" };
    res.write(_sse("content_block_start", { type: "content_block_start", index, content_block: start }));
    const json = typed.type === "tool_use" ? JSON.stringify(typed.input) : "";
    // Split in two to exercise the SDK's delta accumulation.
    const parts = typed.type === "tool_use" ? [json.slice(0, json.length >> 1), json.slice(json.length >> 1)] : [typed.text!.slice(0, 3), typed.text!.slice(3)];
    for (const part of parts) {
      const delta = typed.type === "tool_use" ? { type: "input_json_delta", partial_json: part } : { type: "text_delta", text: part };
      res.write(_sse("content_block_delta", { type: "content_block_delta", index, delta }));
    }
    res.write(_sse("content_block_stop", { type: "content_block_stop", index }));
  });
  res.write(_sse("message_delta", { type: "message_delta", delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: message.usage.output_tokens } }));
  res.end(_sse("message_stop", { type: "message_stop" }));
}

function _sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function _sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_${Date.now()}` }).end(JSON.stringify(body));
}

function _readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}
