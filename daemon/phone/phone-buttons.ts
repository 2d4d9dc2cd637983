import type { VigilContext } from "../context/open-context.js";
import type { ApprovalButtons } from "./approval-notification.js";
import { readPhoneSecrets } from "./phone-secrets.js";

/** The buttons an approval notice carries, when phone approvals are on and ntfy has a topic. */
export function phoneButtons(ctx: Pick<VigilContext, "loaded" | "paths">): ApprovalButtons | undefined {
  const { ntfy } = ctx.loaded.config.notify;
  if (!ntfy.approvals.enabled || !ntfy.topic) return undefined;
  const { key, replyTopic } = readPhoneSecrets(ctx.paths.home, ntfy.approvals.replyTopic);
  return { server: ntfy.server, replyTopic, token: ctx.loaded.secrets.ntfyToken, key, expiresMinutes: ntfy.approvals.expiresMinutes, phone: ntfy.approvals.phone };
}
