import type { NotifyChannel } from "./ntfy-channel.js";
import type { Notifier, NotifyResult } from "./notifier.js";

/**
 * Tries the channels in order until one takes the notification: one channel failing falls back
 * to the next, and every failure is reported so the journal shows it.
 */
export function createFallbackNotifier(channels: readonly NotifyChannel[]): Notifier {
  return {
    async send(notification) {
      const result: NotifyResult = { delivered: [], failures: [] };
      const only = notification.channels;
      for (const channel of only ? channels.filter((each) => only.includes(each.name)) : channels) {
        try {
          await channel.send(notification);
          result.delivered.push(channel.name);
          return result;
        } catch (error) {
          result.failures.push({ channel: channel.name, error: (error as Error).message });
        }
      }
      if (channels.length === 0 && !only) result.delivered.push("journal");
      return result;
    },
  };
}
