import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Notification } from "./notifier.js";

export interface NotifyChannel {
  name: string;
  /** Resolves when the channel took the notification; rejects with a reason a person can act on. */
  send(notification: Notification): Promise<void>;
}

const NTFY_PRIORITY = { low: 2, default: 3, high: 4, urgent: 5 } as const;

/** Phone push through ntfy's JSON publish API (POST to the server root, topic in the body). */
export function createNtfyChannel({ server, topic, token, fetchImpl = fetch }: { server: string; topic: string; token?: string; fetchImpl?: typeof fetch }): NotifyChannel {
  return {
    name: "ntfy",
    async send({ title, body, priority = "default", url, attachment, actions }) {
      if (attachment && (await _tryAttachment(fetchImpl, server, topic, token, { title, body, priority: NTFY_PRIORITY[priority], attachment }))) return;
      const response = await fetchImpl(server.replace(/\/+$/, "") + "/", {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({
          topic,
          title,
          message: body,
          priority: NTFY_PRIORITY[priority],
          tags: ["vigil"],
          ...(url ? { click: url } : {}),
          ...(actions?.length ? { actions: actions.map((action) => ({ action: "http", clear: true, ...action })) } : {}),
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`ntfy answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
    },
  };
}

/**
 * ntfy takes a file as the body of a PUT to the topic, with the message in headers. A server that
 * does not allow attachments (or this size) refuses; then the plain message goes out instead.
 */
async function _tryAttachment(
  fetchImpl: typeof fetch,
  server: string,
  topic: string,
  token: string | undefined,
  message: { title: string; body: string; priority: number; attachment: string },
): Promise<boolean> {
  // Query parameters rather than X- headers: they carry any Unicode title without encoding tricks.
  const query = new URLSearchParams({ title: message.title, message: message.body.split("\n")[0] ?? "", priority: String(message.priority), filename: basename(message.attachment) });
  const response = await fetchImpl(`${server.replace(/\/+$/, "")}/${encodeURIComponent(topic)}?${query}`, {
    method: "PUT",
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: readFileSync(message.attachment),
    signal: AbortSignal.timeout(30_000),
  }).catch(() => undefined);
  return response?.ok ?? false;
}
