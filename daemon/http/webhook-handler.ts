import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { StoreTx } from "../context/store-tx.js";
import type { VigilStore } from "../store/vigil-store.js";
import { BodyTooLargeError, readBodyBytes } from "./read-body.js";
import { sendJson } from "./send-json.js";
import { takeInDeliveryIn } from "./take-in-delivery-in.js";
import { verifyGithubSignature } from "./verify-github-signature.js";

/** GitHub's own limit for a webhook payload is 25 MB; ours is the design's 1 MiB. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface WebhookCounters {
  queued: number;
  duplicates: number;
  ignored: number;
  unsubscribed: number;
  rejected: number;
}

/**
 * `POST /webhooks/github`: verify the signature before reading anything else, queue the event
 * (in the database before the response), answer 202 fast. A delivery id seen before is answered
 * and ignored; events Vigil does not follow, or for repositories nobody subscribed to, are counted.
 */
export function createWebhookHandler(deps: { store: VigilStore<StoreTx>; secret: string; now: () => Date }) {
  if (!deps.secret) throw new TypeError("createWebhookHandler: github.webhooks.secret is empty; every signature would be forgeable");
  const counters: WebhookCounters = { queued: 0, duplicates: 0, ignored: 0, unsubscribed: 0, rejected: 0 };
  const reject = (res: ServerResponse, status: number, error: string) => {
    counters.rejected++;
    sendJson(res, status, { error });
  };

  // Connections that have sent a delivery and are still open. A small body is read, verified and
  // submitted within one callback, so "requests in flight" is always one; open connections are what
  // says more may be coming (32 keep-alive senders, a burst from GitHub) and a commit is worth sharing.
  const senders = new Set<Socket>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const socket = req.socket;
    if (!senders.has(socket)) {
      senders.add(socket);
      socket.once("close", () => senders.delete(socket));
    }
    await _handle(req, res);
  };

  const _handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST") return reject(res, 405, "use POST");
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) return reject(res, 415, "content-type must be application/json");
    let body: Buffer;
    try {
      body = await readBodyBytes(req, MAX_WEBHOOK_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return reject(res, 413, "payload over 1 MiB");
      throw error;
    }
    const signature = req.headers["x-hub-signature-256"];
    if (typeof signature !== "string" || !verifyGithubSignature(deps.secret, body, signature)) return reject(res, 401, "signature does not match");
    const name = req.headers["x-github-event"];
    const delivery = req.headers["x-github-delivery"];
    if (typeof name !== "string" || typeof delivery !== "string" || !name || !delivery) return reject(res, 400, "missing X-GitHub-Event or X-GitHub-Delivery");
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
      if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw new Error("not an object");
    } catch {
      return reject(res, 400, "body is not a JSON object");
    }
    // 2xx only once the delivery is durable (fsync'd). A lone delivery commits at once; deliveries
    // arriving together share one transaction and one fsync, each answered after that sync. A
    // repeated delivery id is found there too, so "duplicate" is said only of a durable first one.
    const taken = await deps.store.transaction((tx) => takeInDeliveryIn(tx, { id: delivery, name, payload }, deps.now()), { share: { othersComing: senders.size > 1 } });
    counters[taken.counter]++;
    sendJson(res, taken.status, taken.body);
  };

  return { handle, counters };
}
