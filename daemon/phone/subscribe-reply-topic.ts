import type { Logger } from "../logger/create-logger.js";

export interface ReplyMessage {
  id: string;
  time: number;
  message: string;
}

export interface ReplySubscriptionOptions {
  server: string;
  topic: string;
  token: string | undefined;
  /** Resume after this ntfy message id (kept across restarts), or from this time (epoch seconds). */
  since: () => string;
  onMessage: (message: ReplyMessage) => Promise<void>;
  logger: Logger;
  fetchImpl?: typeof fetch;
  backoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * One outbound subscription to the reply topic (`GET /TOPIC/json?since=…`, ntfy's NDJSON stream):
 * no port is opened here. It reconnects with backoff whenever the stream ends or fails (the
 * server restarting, the laptop sleeping) and resumes after the last message handled, so a press
 * made meanwhile arrives once, in order.
 */
export function subscribeReplyTopic(options: ReplySubscriptionOptions): { stop(): Promise<void> } {
  const fetchImpl = options.fetchImpl ?? fetch;
  const stopping = new AbortController();
  const first = options.backoffMs ?? 1_000;
  let delay = first;

  const once = async () => {
    const url = `${options.server.replace(/\/+$/, "")}/${encodeURIComponent(options.topic)}/json?since=${encodeURIComponent(options.since())}`;
    const response = await fetchImpl(url, { headers: options.token ? { authorization: `Bearer ${options.token}` } : {}, signal: stopping.signal });
    if (!response.ok || !response.body) throw new Error(`ntfy answered HTTP ${response.status} for the reply topic`);
    delay = first;
    let buffered = "";
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) await _handleLine(line, options);
      }
    }
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await once();
      } catch (error) {
        if (stopping.signal.aborted) break;
        options.logger.warn({ err: error }, "ntfy reply topic: connection lost; reconnecting");
      }
      if (stopping.signal.aborted) break;
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      delay = Math.min(delay * 2, options.maxBackoffMs ?? 60_000);
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

async function _handleLine(line: string, options: ReplySubscriptionOptions): Promise<void> {
  let parsed: { id?: unknown; time?: unknown; event?: unknown; message?: unknown };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    return; // not ntfy's: ignore, the stream goes on
  }
  if (parsed.event !== "message" || typeof parsed.id !== "string" || typeof parsed.message !== "string") return;
  await options.onMessage({ id: parsed.id, time: Number(parsed.time ?? 0), message: parsed.message });
}
