import type { VigilContext } from "../context/open-context.js";
import { phoneButtons } from "../phone/phone-buttons.js";

interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** Phone approvals: where the buttons publish (the reply topic is not a secret on its own: every press is signed). */
export function checkPhoneApprovals(ctx: VigilContext): CheckResult[] {
  const { ntfy } = ctx.loaded.config.notify;
  if (!ntfy.approvals.enabled) return [];
  if (!ntfy.topic) return [{ name: "phone approvals", ok: false, detail: "notify.ntfy.approvals is enabled but notify.ntfy.topic is empty", fix: "set notify.ntfy.topic to the topic your phone subscribes to" }];
  const buttons = phoneButtons(ctx)!;
  return [{ name: "phone approvals", ok: true, detail: `buttons publish to ${buttons.server.replace(/\/+$/, "")}/${buttons.replyTopic}; presses expire after ${buttons.expiresMinutes} min${buttons.token ? "; with the ntfy token" : "; no ntfy token (anyone who learns the topic can send presses, but none without Vigil's signature is applied)"}` }];
}
