import { clipText } from "../../logs/clip-text.js";
import type { Journal } from "../../logs/journal.js";
import type { DaemonState } from "../state/daemon-state.js";
import type { Notification, Notifier, NotifyResult } from "./notifier.js";

const HELD_KEY = "quietHeld";
/** A night's digest lists this many; the rest are counted (the journal has them all). */
const DIGEST_ITEMS = 20;
const MAX_HELD = 200;

interface HeldState {
  items: Array<Notification & { at: string }>;
  /** Urgent notifications let through in the current quiet period. */
  urgentSent: number;
}

export interface QuietHoursNotifier extends Notifier {
  /** Once quiet hours are over, sends what was held as one digest; cheap when nothing is held. */
  flushHeld(now: Date): Promise<void>;
}

export interface QuietHoursOptions {
  state: DaemonState;
  journal: Journal;
  now: () => Date;
  isQuiet: (now: Date) => boolean;
  /** Urgent notifications that may still go out during one quiet period; later ones are held too. */
  urgentPerNight: number;
}

/**
 * Quiet hours silence the person, not the agent: turns go on at night, but what they would tell
 * the user waits, kept in the database so a restart loses nothing, and goes out as one digest
 * when quiet hours end. Urgent ones pass, up to `urgentPerNight`. The journal shows each hold.
 */
export function holdForQuietHours(inner: Notifier, options: QuietHoursOptions): QuietHoursNotifier {
  const read = (): HeldState => options.state.get<HeldState>(HELD_KEY) ?? { items: [], urgentSent: 0 };
  let holding = read().items.length > 0 || read().urgentSent > 0;
  return {
    async send(notification): Promise<NotifyResult> {
      const now = options.now();
      if (!options.isQuiet(now)) return inner.send(notification);
      const held = read();
      if (notification.priority === "urgent" && held.urgentSent < options.urgentPerNight) {
        options.state.set(HELD_KEY, { ...held, urgentSent: held.urgentSent + 1 });
        holding = true;
        return inner.send(notification);
      }
      options.state.set(HELD_KEY, { ...held, items: [...held.items, { ...notification, at: now.toISOString() }].slice(-MAX_HELD) });
      holding = true;
      options.journal.append({
        kind: "system",
        summary: `notification held for quiet hours: ${clipText(notification.title, 120)}`,
        data: { event: "notification-held-quiet", title: notification.title, priority: notification.priority ?? "default" },
      });
      return { delivered: ["quiet-hours digest (held until quiet hours end)"], failures: [] };
    },
    async flushHeld(now) {
      if (!holding || options.isQuiet(now)) return;
      const { items } = read();
      options.state.set(HELD_KEY, { items: [], urgentSent: 0 });
      holding = false;
      if (items.length === 0) return;
      const result = await inner.send(renderDigest(items));
      options.journal.append({
        kind: "system",
        summary: `quiet hours over: ${items.length} held notification(s) sent as one digest${result.delivered.length ? "" : " (no channel took it)"}`,
        data: { event: "quiet-digest", count: items.length, titles: items.map((item) => item.title), delivered: result.delivered },
      });
    },
  };
}

function renderDigest(items: ReadonlyArray<Notification & { at: string }>): Notification {
  const lines = items.slice(0, DIGEST_ITEMS).map((item) => `• ${item.at.slice(11, 16)} ${item.title}: ${clipText(item.body.replace(/\s+/g, " "), 160)}`);
  if (items.length > DIGEST_ITEMS) lines.push(`… and ${items.length - DIGEST_ITEMS} more (vigil review)`);
  const high = items.some((item) => item.priority === "high" || item.priority === "urgent");
  return { title: `While you were away: ${items.length} notification(s)`, body: clipText(lines.join("\n"), 2000), priority: high ? "high" : "default" };
}
