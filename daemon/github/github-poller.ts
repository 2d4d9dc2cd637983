import type { GithubClient } from "./create-github-client.js";
import { normalizeGithubEvent, type GithubChange } from "./normalize-github-event.js";
import { createConditionalGet, type ConditionalGet, type PollReport } from "./poll/conditional-get.js";
import { pollConversation } from "./poll/poll-conversation.js";
import { pollNotifications } from "./poll/poll-notifications.js";
import { createSnapshotStore, type PullSnapshot } from "./poll/poll-snapshots.js";
import { pullChanges, reviewersOf } from "./poll/pull-changes.js";
import type { Subscription, SubscriptionStore } from "./subscriptions.js";
import type { StoreTx } from "../context/store-tx.js";
import type { VigilStore } from "../store/vigil-store.js";
import { takeInGithubChangeIn, type GithubIntakeDeps } from "./take-in-github-change.js";

export type { PollReport } from "./poll/conditional-get.js";

type Pull = Record<string, any>;

export interface GithubPoller {
  pollOnce(): Promise<PollReport>;
}

/** Check runs of a head are read each cycle for this long after it appears, then only now and then. */
const FRESH_HEAD_MS = 60 * 60_000;
/** A settled head's checks are still looked at every this many cycles (a re-run after red). */
const SETTLED_CHECK_EVERY = 10;

/**
 * Polling for machines without a public URL. One conditional request per followed repository
 * (its open PRs, newest first) says whether anything moved; only a PR that changed — or that the
 * Notifications API says someone mentioned the user in — has its conversation read (comments
 * `since=`, reviews, review comments). Check runs are read while a head is new or unfinished.
 * An unchanged poll is 304s only, which cost no rate limit. Changes become the same normalized
 * events, with the same keys, as webhooks.
 */
export function createGithubPoller(deps: GithubIntakeDeps & { store: VigilStore<StoreTx>; github: () => Promise<GithubClient>; subscriptions: SubscriptionStore; intervalSeconds: number }): GithubPoller {
  const snapshots = createSnapshotStore(deps.db);
  let cycle = 0;

  return {
    async pollOnce() {
      cycle++;
      const report: PollReport = { requests: 0, notModified: 0, queued: 0, nextDelayMs: deps.intervalSeconds * 1000 };
      const get = createConditionalGet(deps.db, deps.github, report, deps.now);
      // One transaction a change, each waited for: changes are queued in the order GitHub gave them.
      const takeIn = async (change: GithubChange | undefined) => {
        const result = change && (await deps.store.transaction((tx) => takeInGithubChangeIn(tx, change, deps.now())));
        if (result && result.queued && !result.duplicate) report.queued++;
      };
      const mentioned = new Set((await pollNotifications(get)).map((thread) => `${thread.repo}#${thread.number}`));
      for (const [repo, subs] of _byRepo(deps.subscriptions.list())) {
        for (const pull of await _changedPulls(get, snapshots, repo, subs, mentioned)) {
          await _takeInPull(deps, get, snapshots, repo, pull, mentioned.has(`${repo}#${pull.number}`), takeIn);
        }
      }
      await _pollChecks(deps, get, snapshots, cycle, takeIn);
      return report;
    },
  };
}

function _byRepo(subscriptions: readonly Subscription[]): Map<string, Subscription[]> {
  const byRepo = new Map<string, Subscription[]>();
  for (const sub of subscriptions) byRepo.set(sub.repo, [...(byRepo.get(sub.repo) ?? []), sub]);
  return byRepo;
}

/**
 * The followed PRs of one repository that may have changed: those in its open list when the list
 * changed, a followed PR that left the list (it closed), and any PR a notification points at.
 */
async function _changedPulls(get: ConditionalGet, snapshots: ReturnType<typeof createSnapshotStore>, repo: string, subs: readonly Subscription[], mentioned: ReadonlySet<string>): Promise<Pull[]> {
  const [owner, name] = repo.split("/") as [string, string];
  const wholeRepo = subs.some((sub) => !sub.number);
  const followed = (number: number) => wholeRepo || subs.some((sub) => sub.number === number);
  const open = (await get("/repos/{owner}/{repo}/pulls", { owner, repo: name, state: "open", sort: "updated", direction: "desc", per_page: 100 })) as Pull[] | undefined;
  const pulls = (open ?? []).filter((pull) => followed(pull.number));
  const missing = subs.filter((sub) => sub.number && !pulls.some((pull) => pull.number === sub.number) && (open !== undefined || !snapshots.get(repo, sub.number)));
  const pointed = [...mentioned].filter((key) => key.startsWith(`${repo}#`)).map((key) => Number(key.slice(repo.length + 1))).filter((number) => followed(number) && !pulls.some((pull) => pull.number === number));
  for (const number of [...new Set([...missing.map((sub) => sub.number!), ...pointed])]) {
    const pull = ((await get("/repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo: name, pull_number: number })) as Pull | undefined) ?? _pullFromSnapshot(snapshots.get(repo, number), number);
    if (pull) pulls.push(pull);
  }
  return pulls;
}

/** A PR the server said is unchanged (304) but whose conversation must be read: what we last saw of it. */
function _pullFromSnapshot(snapshot: PullSnapshot | undefined, number: number): Pull | undefined {
  if (!snapshot) return undefined;
  return { number, state: snapshot.state, draft: snapshot.draft, head: { sha: snapshot.head }, title: snapshot.title, updated_at: snapshot.updatedAt, requested_reviewers: snapshot.reviewers.map((login) => ({ login })), html_url: snapshot.url };
}

async function _takeInPull(deps: GithubIntakeDeps & { now: () => Date }, get: ConditionalGet, snapshots: ReturnType<typeof createSnapshotStore>, repo: string, pull: Pull, mentioned: boolean, takeIn: (change: GithubChange | undefined) => Promise<void>): Promise<void> {
  const before = snapshots.get(repo, pull.number);
  const repository = { full_name: repo };
  for (const change of pullChanges(before, pull)) {
    await takeIn(normalizeGithubEvent("pull_request", { action: change.action, pull_request: pull, repository, sender: pull.user, ...(change.requestedReviewer ? { requested_reviewer: change.requestedReviewer } : {}) }));
  }
  // Only what is new since the PR was first seen: history is not replayed as events.
  let since = before?.conversationSince ?? pull.updated_at ?? deps.now().toISOString();
  if (before && (before.updatedAt !== pull.updated_at || mentioned)) {
    const conversation = await pollConversation(get, repo, pull, since);
    for (const change of conversation.changes) await takeIn(change);
    since = conversation.since;
  }
  const sameHead = before?.head === (pull.head?.sha ?? null);
  snapshots.put(repo, pull.number, {
    head: pull.head?.sha ?? null,
    state: pull.state,
    draft: pull.draft ?? false,
    updatedAt: pull.updated_at ?? null,
    reviewers: reviewersOf(pull),
    conversationSince: since,
    headSeenAt: sameHead && before ? before.headSeenAt : deps.now().toISOString(),
    checksSettled: sameHead && before ? before.checksSettled : false,
    title: pull.title ?? null,
    url: pull.html_url ?? null,
  });
  if (pull.state === "open" && pull.head?.sha) deps.subscriptions.recordHead(repo, pull.number, pull.head.sha);
}

/** Checks finish while the PR itself is unchanged: read them for new or unfinished heads, and now and then for the rest. */
async function _pollChecks(deps: GithubIntakeDeps & { subscriptions: SubscriptionStore }, get: ConditionalGet, snapshots: ReturnType<typeof createSnapshotStore>, cycle: number, takeIn: (change: GithubChange | undefined) => Promise<void>): Promise<void> {
  for (const head of deps.subscriptions.heads()) {
    const snapshot = snapshots.get(head.repo, head.number);
    if (!deps.subscriptions.covers(head.repo, head.number) || !snapshot || snapshot.state !== "open" || snapshot.head !== head.headSha) continue;
    const fresh = deps.now().getTime() - Date.parse(snapshot.headSeenAt) < FRESH_HEAD_MS;
    if (snapshot.checksSettled && !fresh && cycle % SETTLED_CHECK_EVERY !== 0) continue;
    const [owner, repo] = head.repo.split("/") as [string, string];
    const checks = (await get("/repos/{owner}/{repo}/commits/{ref}/check-runs", { owner, repo, ref: head.headSha })) as { check_runs?: Pull[] } | undefined;
    if (!checks) continue;
    const runs = checks.check_runs ?? [];
    for (const run of runs.filter((candidate) => candidate.status === "completed")) {
      const checkRun = { ...run, pull_requests: [{ number: head.number }] };
      await takeIn(normalizeGithubEvent("check_run", { action: "completed", check_run: checkRun, repository: { full_name: head.repo }, sender: { login: run.app?.slug ?? "github" } }));
    }
    snapshots.put(head.repo, head.number, { ...snapshot, checksSettled: runs.length > 0 && runs.every((run) => run.status === "completed") });
  }
}
