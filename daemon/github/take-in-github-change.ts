import type { Journal } from "../../logs/journal.js";
import type { JournalInput } from "../../logs/journal-entry.js";
import type { StoreTx } from "../context/store-tx.js";
import type { EventQueue, NewEvent } from "../events/event-queue.js";
import { noticeEvent, noticeEventIn } from "../events/notice-event.js";
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
    if (_recordsHead(change, number)) deps.subscriptions.recordHead(change.repo, number!, change.headSha!);
    const queued = noticeEvent(deps, _githubEvent(change, number));
    const ended = queued.inserted ? _endedPull(change, number) : undefined;
    if (ended && deps.subscriptions.end({ repo: change.repo, number: ended.number }, ended.how, deps.now())) deps.journal.append(_unsubscribedRow(change.repo, ended.number, ended.how));
    return { queued: true, eventId: queued.id, duplicate: !queued.inserted };
  });
}

/** takeInGithubChange on the store port (either engine), inside the caller's transaction. */
export async function takeInGithubChangeIn(tx: StoreTx, change: GithubChange, now: Date): Promise<IntakeResult> {
  const number = change.number ?? (change.headSha ? (await tx.subscriptions.pullsWithHead(change.repo, change.headSha))[0] ?? null : null);
  if (!(await tx.subscriptions.covers(change.repo, number))) return { queued: false, reason: "unsubscribed" };
  if (_recordsHead(change, number)) await tx.subscriptions.recordHead(change.repo, number!, change.headSha!);
  const queued = await noticeEventIn(tx, _githubEvent(change, number));
  const ended = queued.inserted ? _endedPull(change, number) : undefined;
  if (ended && (await tx.subscriptions.end({ repo: change.repo, number: ended.number }, ended.how, now))) await tx.journal.append(_unsubscribedRow(change.repo, ended.number, ended.how));
  return { queued: true, eventId: queued.id, duplicate: !queued.inserted };
}

const _recordsHead = (change: GithubChange, number: number | null) => number !== null && Boolean(change.headSha) && change.type.startsWith("pull_request.");

/** The queued event: a CI change matched to its PR by head commit names the PR in its summary. */
function _githubEvent(change: GithubChange, number: number | null): NewEvent {
  const summary = change.number === null && number !== null ? change.summary.replace(change.repo, `${change.repo}#${number}`) : change.summary;
  return {
    source: "github",
    type: change.type,
    dedupeKey: change.dedupeKey,
    trust: change.trust,
    summary,
    payload: { repo: change.repo, number, actor: change.actor, url: change.url, ...change.details },
  };
}

/** A PR that closed or merged ends its own subscription. */
function _endedPull(change: GithubChange, number: number | null): { number: number; how: string } | undefined {
  if (number === null || (change.type !== "pull_request.closed" && change.type !== "pull_request.merged")) return undefined;
  return { number, how: change.type.slice("pull_request.".length) };
}

function _unsubscribedRow(repo: string, number: number, how: string): JournalInput {
  return { kind: "system", summary: `subscription to ${repo}#${number} ended: the pull request was ${how}`, data: { event: "unsubscribed", repo, number, reason: how } };
}
