import notifier from "node-notifier";
import type { NotifyChannel } from "./ntfy-channel.js";

/**
 * Desktop notifications through node-notifier (notify-send on Linux). Always with a callback, so a
 * missing notification server or D-Bus session surfaces as an error instead of vanishing.
 */
export function createDesktopChannel(): NotifyChannel {
  return {
    name: "desktop",
    send: ({ title, body, priority }) =>
      new Promise<void>((resolve, reject) => {
        try {
          notifier.notify({ title, message: body, wait: false, urgency: priority === "urgent" ? "critical" : priority === "low" ? "low" : "normal" } as never, (error: Error | null) =>
            error ? reject(new Error(`desktop notification failed: ${error.message.split("\n")[0]}`)) : resolve(),
          );
        } catch (error) {
          reject(new Error(`desktop notification failed: ${(error as Error).message}`));
        }
      }),
  };
}
