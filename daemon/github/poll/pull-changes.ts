import type { PullSnapshot } from "./poll-snapshots.js";

type Pull = Record<string, any>;

/** A webhook-shaped happening a polled PR implies: the action, and for a review request, whom. */
export interface PullChange {
  action: string;
  requestedReviewer?: { login: string };
}

/** The webhook actions a polled PR implies, compared with what the last poll saw. */
export function pullChanges(before: PullSnapshot | undefined, now: Pull): PullChange[] {
  if (!before) return [{ action: now.state === "open" ? "opened" : "closed" }];
  const changes: PullChange[] = [];
  if (before.state !== "open" && now.state === "open") changes.push({ action: "reopened" });
  if (now.head?.sha !== before.head) changes.push({ action: "synchronize" });
  if (before.draft && !now.draft) changes.push({ action: "ready_for_review" });
  for (const login of reviewersOf(now).filter((reviewer) => !before.reviewers.includes(reviewer))) {
    changes.push({ action: "review_requested", requestedReviewer: { login } });
  }
  if (before.state === "open" && now.state !== "open") changes.push({ action: "closed" });
  return changes;
}

/** Requested reviewers, people and teams, as the webhook names them (login, or team name). */
export function reviewersOf(pull: Pull): string[] {
  const people = (pull.requested_reviewers ?? []).map((user: Pull) => String(user.login));
  const teams = (pull.requested_teams ?? []).map((team: Pull) => String(team.name));
  return [...people, ...teams].sort();
}
