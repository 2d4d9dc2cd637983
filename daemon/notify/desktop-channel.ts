import { createRequire } from "node:module";
import type NodeNotifier from "node-notifier";
import type { NotifyChannel } from "./ntfy-channel.js";

/**
 * Desktop notifications through node-notifier (notify-send on Linux). Always with a callback, so a
 * missing notification server or D-Bus session surfaces as an error instead of vanishing.
 */
export function createDesktopChannel(): NotifyChannel {
  // Loaded at the first notification: most daemons start, and many never notify.
  let notifier: typeof NodeNotifier | undefined;
  return {
    name: "desktop",
    send: ({ title, body, priority }) =>
      new Promise<void>((resolve, reject) => {
        try {
          notifier ??= createRequire(import.meta.url)("node-notifier") as typeof NodeNotifier;
          notifier.notify({ title, message: body, wait: false, urgency: priority === "urgent" ? "critical" : priority === "low" ? "low" : "normal" } as never, (error: Error | null) =>
            error ? reject(new Error(`desktop notification failed: ${error.message.split("\n")[0]}`)) : resolve(),
          );
        } catch (error) {
          reject(new Error(`desktop notification failed: ${(error as Error).message}`));
        }
      }),
  };
}
