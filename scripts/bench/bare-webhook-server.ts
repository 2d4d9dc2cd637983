import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The yardstick for webhook intake: a bare Node HTTP server that only checks the HMAC and parses
 * the JSON, then answers 202 — no database, no durability. Run as its own process by the bench.
 */
const secret = process.argv[2] ?? "";
const ANSWER = Buffer.from('{"status":"queued","eventId":1}');
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
    const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    JSON.parse(body.toString("utf8"));
    // Framed as Vigil frames its answer (Content-Length, not chunked): the same bytes' worth of work.
    res.writeHead(202, { "content-type": "application/json", "content-length": ANSWER.length }).end(ANSWER);
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
