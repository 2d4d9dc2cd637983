import type { Logger } from "../logger/create-logger.js";
import type { DesktopActions } from "./desktop-actions.js";
import { createNotifySendActions } from "./notify-send-actions.js";
import { createTerminalNotifierActions } from "./terminal-notifier-actions.js";

export interface DesktopActionsOptions {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  logger: Pick<Logger, "warn">;
  /** Notifications with buttons open at once; past it a notice goes out without them. */
  maxOpen?: number;
}

/** Each open notification holds a listener (a `notify-send --wait` child on Linux): a few are plenty. */
export const DESKTOP_ACTIONS_MAX_OPEN = 8;

/** Buttons on desktop notifications where the platform has them: libnotify's actions on Linux, terminal-notifier's on macOS. */
export function createDesktopActions({ platform, maxOpen = DESKTOP_ACTIONS_MAX_OPEN, ...options }: DesktopActionsOptions): DesktopActions | undefined {
  if (platform === "linux") return createNotifySendActions({ ...options, maxOpen });
  if (platform === "darwin") return createTerminalNotifierActions({ ...options, maxOpen });
  return undefined;
}
