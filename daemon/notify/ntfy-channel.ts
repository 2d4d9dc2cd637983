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
    async send({ title, body, priority = "default", url }) {
      const response = await fetchImpl(server.replace(/\/+$/, "") + "/", {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ topic, title, message: body, priority: NTFY_PRIORITY[priority], tags: ["vigil"], ...(url ? { click: url } : {}) }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`ntfy answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
    },
  };
}
