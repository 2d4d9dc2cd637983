import type { Journal } from "../../logs/journal.js";
import type { Notifier } from "./notifier.js";

export interface SpamGuardOptions {
  journal: Journal;
  now: () => Date;
  /** The same title and body again within this window is collapsed into the first. */
  duplicateWindowMs?: number;
  perHour?: number;
}

/**
 * Keeps Vigil from nagging: a repeat of the same notification inside the window, or anything
 * past the hourly cap, is held back and journaled instead of sent.
 */
export function guardAgainstSpam(inner: Notifier, { journal, now, duplicateWindowMs = 10 * 60_000, perHour = 20 }: SpamGuardOptions): Notifier {
  const lastSent = new Map<string, number>();
  const sentAt: number[] = [];
  const holdBack = (title: string, why: string) => {
    journal.append({ kind: "system", summary: `notification held back (${why}): ${title}`, data: { event: "notification-held", reason: why, title } });
    return { delivered: [], failures: [{ channel: "guard", error: `held back: ${why}` }] };
  };
  return {
    async send(notification) {
      const at = now().getTime();
      const key = `${notification.title}\n${notification.body}`;
      if (at - (lastSent.get(key) ?? -Infinity) < duplicateWindowMs) return holdBack(notification.title, "duplicate within the window");
      while (sentAt.length && sentAt[0]! <= at - 3_600_000) sentAt.shift();
      if (sentAt.length >= perHour) return holdBack(notification.title, `more than ${perHour} in an hour`);
      const result = await inner.send(notification);
      if (result.delivered.length) {
        lastSent.set(key, at);
        sentAt.push(at);
      }
      return result;
    },
  };
}
