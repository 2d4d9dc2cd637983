import { z } from "zod";
import type { SubscriptionStore } from "../github/subscriptions.js";
import { formatSubscriptionRef } from "../github/subscription-ref.js";
import { repoName } from "./github-comment-tool.js";
import { defineTool } from "../toolkit/tool.js";

const input = z.strictObject({ repo: repoName, number: z.number().int().positive().optional() });

/** `subscribe_pr` / `unsubscribe_pr`: what Vigil follows on GitHub; no effect outside Vigil. */
export function createSubscriptionTools({ subscriptions }: { subscriptions: SubscriptionStore }) {
  const refOf = ({ repo, number }: z.infer<typeof input>) => ({ repo: repo.toLowerCase(), number: number ?? 0 });
  return [
    defineTool({
      name: "subscribe_pr",
      description: "Follow a pull request (repo and number) or a whole repository (repo only), so its events wake you.",
      risk: "read",
      input,
      run(value, { now }) {
        const ref = refOf(value);
        const added = subscriptions.add(ref, "agent", now);
        return { content: added ? `now following ${formatSubscriptionRef(ref)}` : `already following ${formatSubscriptionRef(ref)}` };
      },
    }),
    defineTool({
      name: "unsubscribe_pr",
      description: "Stop following a pull request or repository.",
      risk: "read",
      input,
      run(value, { now }) {
        const ref = refOf(value);
        const ended = subscriptions.end(ref, "unsubscribed by the agent", now);
        return { content: ended ? `stopped following ${formatSubscriptionRef(ref)}` : `was not following ${formatSubscriptionRef(ref)}` };
      },
    }),
  ];
}
