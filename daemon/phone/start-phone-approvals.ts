import type { VigilContext } from "../context/open-context.js";
import type { Runtime } from "../supervisor/assemble-runtime.js";
import { applyPhoneDecision } from "./apply-phone-decision.js";
import { readPhoneSecrets } from "./phone-secrets.js";
import { subscribeReplyTopic } from "./subscribe-reply-topic.js";

const LAST_REPLY_KEY = "ntfyReplyLastId";

/**
 * With `notify.ntfy.approvals.enabled` and a topic: the daemon reads the reply topic for button
 * presses and applies each once. Where it got to is kept, so presses made while it was stopped
 * (and not yet expired) are applied when it comes back; the first time ever it starts from now.
 */
export function startPhoneApprovals(ctx: VigilContext, runtime: Runtime): { stop(): Promise<void> } | undefined {
  const { ntfy } = ctx.loaded.config.notify;
  if (!ntfy.approvals.enabled || !ntfy.topic) return undefined;
  const { key, replyTopic } = readPhoneSecrets(ctx.paths.home, ntfy.approvals.replyTopic);
  if (runtime.state.get<string>(LAST_REPLY_KEY) === undefined) runtime.state.set(LAST_REPLY_KEY, String(Math.floor(ctx.now().getTime() / 1000)));
  const deps = { toolDeps: runtime.turn.toolDeps, journal: ctx.journal, notifier: runtime.notifier, key, phone: ntfy.approvals.phone, now: ctx.now, timeZone: ctx.loaded.timezone };
  return subscribeReplyTopic({
    server: ntfy.server,
    topic: replyTopic,
    token: ctx.loaded.secrets.ntfyToken,
    since: () => runtime.state.get<string>(LAST_REPLY_KEY)!,
    logger: ctx.logger,
    onMessage: async (message) => {
      await applyPhoneDecision(deps, message.message);
      runtime.state.set(LAST_REPLY_KEY, message.id);
    },
  });
}
