import type { VigilContext } from "../context/open-context.js";
import { createFallbackNotifier } from "./create-notifier.js";
import { createDesktopChannel } from "./desktop-channel.js";
import { createNtfyChannel, type NotifyChannel } from "./ntfy-channel.js";
import type { Notifier } from "./notifier.js";
import { guardAgainstSpam } from "./spam-guard.js";

/**
 * The notifier the config asks for: ntfy first when a topic is set (it reaches the phone anywhere),
 * then the desktop; behind a guard against repeats and floods. With no channel at all,
 * notifications live in the journal only.
 */
export function buildNotifier(ctx: Pick<VigilContext, "loaded" | "journal" | "now">): Notifier {
  return guardAgainstSpam(createFallbackNotifier(buildChannels(ctx)), { journal: ctx.journal, now: ctx.now, perHour: ctx.loaded.config.notify.maxPerHour });
}

/** The configured channels in fallback order (`vigil notify --test` tries each one). */
export function buildChannels(ctx: Pick<VigilContext, "loaded">): NotifyChannel[] {
  const { desktop, ntfy } = ctx.loaded.config.notify;
  const channels: NotifyChannel[] = [];
  if (ntfy.topic) channels.push(createNtfyChannel({ server: ntfy.server, topic: ntfy.topic, token: ctx.loaded.secrets.ntfyToken }));
  if (desktop) channels.push(createDesktopChannel());
  return channels;
}
