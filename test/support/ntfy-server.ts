import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback server speaking ntfy's JSON publish API: records each message, or fails on demand. */
export async function startNtfyServer(status = 200) {
  const received: Array<{ headers: IncomingMessage["headers"]; body: any }> = [];
  const server: Server = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    received.push({ headers: req.headers, body: JSON.parse(raw) });
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(status === 200 ? { id: "m1", event: "message" } : { error: "boom" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
