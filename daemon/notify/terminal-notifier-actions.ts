import { createRequire } from "node:module";
import type NodeNotifier from "node-notifier";
import type NotificationCenter from "node-notifier/notifiers/notificationcenter.js";
import type { Logger } from "../logger/create-logger.js";
import type { DesktopActions } from "./desktop-actions.js";

export interface TerminalNotifierOptions {
  now: () => Date;
  logger: Pick<Logger, "warn">;
  maxOpen: number;
}

/**
 * macOS: node-notifier's terminal-notifier with `actions` and `wait`, which calls back with the
 * label pressed. It reports nothing until then, so a notification counts as shown once handed
 * over; terminal-notifier's own `timeout` ends it at the expiry. Its process belongs to
 * node-notifier, so `stop` can only stop listening: a press after that does nothing.
 */
export function createTerminalNotifierActions({ now, logger, maxOpen }: TerminalNotifierOptions): DesktopActions {
  let center: NotificationCenter | undefined;
  let open = 0;
  let stopping = false;
  return {
    async show(notice, onChoice) {
      const seconds = Math.floor((notice.expiresAt - now().getTime()) / 1000);
      if (stopping || open >= maxOpen || seconds <= 0) return false;
      try {
        center ??= new (createRequire(import.meta.url)("node-notifier") as typeof NodeNotifier).NotificationCenter();
        const options: NotificationCenter.Notification = { title: notice.title, message: notice.body, actions: notice.choices.map((choice) => choice.label), dropdownLabel: "Decide", closeLabel: "Later", wait: true, timeout: seconds };
        center.notify(options, (error, _response, metadata) => {
          open -= 1;
          if (error) return logger.warn({ err: error }, "desktop notification with buttons failed");
          const chosen = notice.choices.find((choice) => choice.label === metadata?.activationValue);
          if (chosen && !stopping) onChoice(chosen.name);
        });
        open += 1;
        return true;
      } catch (error) {
        logger.warn({ err: error }, "desktop notification with buttons failed");
        return false;
      }
    },
    // terminal-notifier's process is node-notifier's, out of reach: a press after a decision made
    // elsewhere goes through the one-time decision and is answered that it was already decided.
    openKeys: () => [],
    close: () => {},
    async stop() {
      stopping = true;
    },
  };
}
