import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface NtfyMessage {
  id: string;
  time: number;
  event: "message";
  topic: string;
  title?: string;
  message: string;
  priority?: number;
  actions?: Array<{ action: string; label: string; url: string; method: string; headers: Record<string, string>; body: string; clear?: boolean }>;
  headers: IncomingMessage["headers"];
}

export interface NtfyServer {
  url: string;
  messages: NtfyMessage[];
  /** Messages published to one topic, oldest first. */
  on(topic: string): NtfyMessage[];
  /** Stops listening (subscribers see their stream end) and starts again on the same port, keeping the cache. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback server that speaks ntfy's protocol as Vigil and the ntfy app use it: JSON publish to
 * `/` (topic in the body, with actions), a plain publish to `/TOPIC` (the body is the message —
 * what an `http` action button sends), and the subscribe stream `GET /TOPIC/json?since=ID|TIME|all`
 * (NDJSON, kept open, new messages pushed as they come). With a token set, every request needs
 * `Authorization: Bearer TOKEN`.
 */
export async function startNtfyServer(token?: string): Promise<NtfyServer> {
  const messages: NtfyMessage[] = [];
  const streams = new Set<{ topic: string; res: ServerResponse }>();
  let ids = 0;
  let port = 0;
  let server: Server;

  const publish = (message: Omit<NtfyMessage, "id" | "time" | "event">) => {
    const stored: NtfyMessage = { id: `m${String(++ids).padStart(6, "0")}`, time: Math.floor(Date.now() / 1000), event: "message", ...message };
    messages.push(stored);
    for (const stream of streams) if (stream.topic === stored.topic) stream.res.write(`${_line(stored)}\n`);
    return stored;
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (token && req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(403, { "content-type": "application/json" }).end('{"code":40301,"error":"forbidden"}');
    const url = new URL(req.url!, "http://x");
    const subscribe = /^\/([\w-]+)\/json$/.exec(url.pathname);
    if (req.method === "GET" && subscribe) {
      const topic = subscribe[1]!;
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write(`${JSON.stringify({ id: "open", time: Math.floor(Date.now() / 1000), event: "open", topic })}\n`);
      for (const message of _since(messages.filter((m) => m.topic === topic), url.searchParams.get("since"))) res.write(`${_line(message)}\n`);
      const stream = { topic, res };
      streams.add(stream);
      res.on("close", () => streams.delete(stream));
      return;
    }
    if (req.method === "POST" && url.pathname === "/") {
      const body = JSON.parse(raw) as Omit<NtfyMessage, "id" | "time" | "event" | "headers">;
      const stored = publish({ ...body, headers: req.headers });
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: stored.id, event: "message" }));
    }
    const topic = /^\/([\w-]+)$/.exec(url.pathname);
    if ((req.method === "POST" || req.method === "PUT") && topic) {
      const stored = publish({ topic: topic[1]!, message: raw, headers: req.headers });
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: stored.id, event: "message" }));
    }
    res.writeHead(404).end();
  };

  const listen = async () => {
    server = createServer((req, res) => void handler(req, res));
    // Longer than any client's idle keep-alive, so a reused connection is never closed under a request (ECONNRESET).
    server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    for (const stream of streams) stream.res.destroy();
    streams.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    on: (topic) => messages.filter((message) => message.topic === topic),
    restart: async () => (await stop(), await listen()),
    close: stop,
  };
}

function _line(message: NtfyMessage): string {
  const { headers: _headers, ...wire } = message;
  return JSON.stringify(wire);
}

/** ntfy's `since`: a message id (those after it), a Unix time (those at or after it), or `all`. */
function _since(messages: NtfyMessage[], since: string | null): NtfyMessage[] {
  if (!since || since === "all") return since === "all" ? messages : [];
  const index = messages.findIndex((message) => message.id === since);
  if (index >= 0) return messages.slice(index + 1);
  return /^\d+$/.test(since) ? messages.filter((message) => message.time >= Number(since)) : [];
}
