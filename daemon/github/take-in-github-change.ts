import type { Journal } from "../../logs/journal.js";
import type { EventQueue } from "../events/event-queue.js";
import { noticeEvent } from "../events/notice-event.js";
import type { VigilDatabase } from "../store/open-database.js";
import { runInTransaction } from "../store/run-in-transaction.js";
import type { GithubChange } from "./normalize-github-event.js";
import type { SubscriptionStore } from "./subscriptions.js";

export interface GithubIntakeDeps {
  db: VigilDatabase;
  events: EventQueue;
  journal: Journal;
  subscriptions: SubscriptionStore;
  now: () => Date;
}

export type IntakeResult = { queued: true; eventId: number; duplicate: boolean } | { queued: false; reason: "unsubscribed" };

/**
 * The one door for GitHub changes, from webhooks and polling alike: match CI to a followed PR by
 * its head commit, drop what is not subscribed, queue the rest (deduplicated by change), and end a
 * PR's subscription when it closes.
 */
export function takeInGithubChange(deps: GithubIntakeDeps, change: GithubChange): IntakeResult {
  const number = change.number ?? (change.headSha ? deps.subscriptions.pullsWithHead(change.repo, change.headSha)[0] ?? null : null);
  if (!deps.subscriptions.covers(change.repo, number)) return { queued: false, reason: "unsubscribed" };
  return runInTransaction(deps.db, (): IntakeResult => {
    if (number !== null && change.headSha && change.type.startsWith("pull_request.")) deps.subscriptions.recordHead(change.repo, number, change.headSha);
    const summary = change.number === null && number !== null ? change.summary.replace(change.repo, `${change.repo}#${number}`) : change.summary;
    const queued = noticeEvent(deps, {
      source: "github",
      type: change.type,
      dedupeKey: change.dedupeKey,
      trust: change.trust,
      summary,
      payload: { repo: change.repo, number, actor: change.actor, url: change.url, ...change.details },
    });
    if (queued.inserted && number !== null && (change.type === "pull_request.closed" || change.type === "pull_request.merged")) {
      _endPullSubscription(deps, change.repo, number, change.type.slice("pull_request.".length));
    }
    return { queued: true, eventId: queued.id, duplicate: !queued.inserted };
  });
}

function _endPullSubscription(deps: GithubIntakeDeps, repo: string, number: number, how: string): void {
  if (deps.subscriptions.end({ repo, number }, how, deps.now())) {
    deps.journal.append({ kind: "system", summary: `subscription to ${repo}#${number} ended: the pull request was ${how}`, data: { event: "unsubscribed", repo, number, reason: how } });
  }
}
