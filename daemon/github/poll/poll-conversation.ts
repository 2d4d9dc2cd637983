import { normalizeGithubEvent, type GithubChange } from "../normalize-github-event.js";
import type { ConditionalGet } from "./conditional-get.js";

type Item = Record<string, any>;

/**
 * A PR's conversation since `since` (GitHub's own time): comments on the PR, submitted reviews and
 * review comments, each normalized from the REST objects into the webhook's event and key —
 * `issue_comment.created`, `pull_request_review.submitted`, `pull_request_review_comment.created`
 * — so a change seen by both a webhook and a poll is one event. Returns the changes and the new
 * high-water mark. Comment listings take `since=`; reviews have none, so their ETag keeps an
 * unchanged list free.
 */
export async function pollConversation(get: ConditionalGet, repo: string, pull: Item, since: string): Promise<{ changes: GithubChange[]; since: string }> {
  const [owner, name] = repo.split("/") as [string, string];
  const base = { owner, repo: name };
  const repository = { full_name: repo };
  const [comments, reviews, reviewComments] = await Promise.all([
    get("/repos/{owner}/{repo}/issues/{issue_number}/comments", { ...base, issue_number: pull.number, since, per_page: 100 }) as Promise<Item[] | undefined>,
    get("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...base, pull_number: pull.number, per_page: 100 }) as Promise<Item[] | undefined>,
    get("/repos/{owner}/{repo}/pulls/{pull_number}/comments", { ...base, pull_number: pull.number, since, per_page: 100 }) as Promise<Item[] | undefined>,
  ]);
  const issue = { number: pull.number, title: pull.title, pull_request: { url: pull.url ?? null }, head: pull.head };
  const fresh = (at: unknown) => typeof at === "string" && at > since;
  const changes = [
    ...(comments ?? []).filter((comment) => fresh(comment.created_at)).map((comment) => normalizeGithubEvent("issue_comment", { action: "created", issue, comment, repository, sender: comment.user })),
    ...(reviews ?? [])
      .filter((review) => review.state !== "PENDING" && fresh(review.submitted_at))
      .map((review) => normalizeGithubEvent("pull_request_review", { action: "submitted", review, pull_request: pull, repository, sender: review.user })),
    ...(reviewComments ?? []).filter((comment) => fresh(comment.created_at)).map((comment) => normalizeGithubEvent("pull_request_review_comment", { action: "created", comment, pull_request: pull, repository, sender: comment.user })),
  ].filter((change): change is GithubChange => change !== undefined);
  const marks = [...(comments ?? []).map((c) => c.created_at), ...(reviews ?? []).map((r) => r.submitted_at), ...(reviewComments ?? []).map((c) => c.created_at)].filter((at): at is string => typeof at === "string");
  return { changes, since: marks.reduce((latest, at) => (at > latest ? at : latest), since) };
}
