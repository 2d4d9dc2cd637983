import type { Trust } from "../events/event-queue.js";
import { sliceWhole } from "../../logs/clip-text.js";

/** A GitHub happening reduced to what the prompt needs (DESIGN.md, section 1). */
export interface GithubChange {
  /** `pull_request.opened`, `check_run.completed`, … (the rules' `event`). */
  type: string;
  repo: string;
  /** The PR number, or null when only the head commit is known (checks, statuses). */
  number: number | null;
  headSha: string | null;
  actor: string;
  trust: Trust;
  summary: string;
  url: string | null;
  /** The same change seen by webhook and by polling has the same key: one event. */
  dedupeKey: string;
  details: Record<string, unknown>;
}

const TRUSTED_ASSOCIATIONS = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

export function trustOf(authorAssociation: string | undefined): Trust {
  return authorAssociation && TRUSTED_ASSOCIATIONS.has(authorAssociation) ? "trusted" : "untrusted";
}

const PR_ACTIONS = new Set(["opened", "reopened", "synchronize", "closed", "review_requested", "ready_for_review"]);

type Payload = Record<string, any>; // GitHub payloads are read defensively, field by field.

/** Normalizes the webhook event types Vigil follows; undefined for everything else. */
export function normalizeGithubEvent(name: string, payload: Payload): GithubChange | undefined {
  const repo = String(payload.repository?.full_name ?? "").toLowerCase();
  if (!repo) return undefined;
  const action = payload.action as string | undefined;
  const actor = String(payload.sender?.login ?? "someone");
  switch (name) {
    case "pull_request":
      return PR_ACTIONS.has(action ?? "") ? _pullRequest(repo, action!, actor, payload) : undefined;
    case "pull_request_review":
      if (action !== "submitted" && action !== "dismissed") return undefined;
      return _onPull(repo, payload.pull_request, {
        type: `pull_request_review.${action}`,
        actor: payload.review.user?.login ?? actor,
        trust: trustOf(payload.review.author_association),
        what: `review ${action === "dismissed" ? "dismissed" : String(payload.review.state).toLowerCase()}`,
        text: payload.review.body,
        url: payload.review.html_url,
        dedupeKey: `github:review:${payload.review.id}:${action}`,
      });
    case "pull_request_review_comment":
      if (action !== "created") return undefined;
      return _onPull(repo, payload.pull_request, {
        type: "pull_request_review_comment.created",
        actor: payload.comment.user?.login ?? actor,
        trust: trustOf(payload.comment.author_association),
        what: `review comment on ${payload.comment.path}`,
        text: payload.comment.body,
        url: payload.comment.html_url,
        dedupeKey: `github:review_comment:${payload.comment.id}`,
      });
    case "issue_comment":
      if (action !== "created" || !payload.issue?.pull_request) return undefined;
      return _onPull(repo, payload.issue, {
        type: "issue_comment.created",
        actor: payload.comment.user?.login ?? actor,
        trust: trustOf(payload.comment.author_association),
        what: "comment",
        text: payload.comment.body,
        url: payload.comment.html_url,
        dedupeKey: `github:comment:${payload.comment.id}`,
      });
    case "check_run":
    case "check_suite":
    case "workflow_run":
      return action === "completed" ? _ciCompleted(name, repo, actor, payload) : undefined;
    case "status":
      return _status(repo, actor, payload);
    default:
      return undefined;
  }
}

function _pullRequest(repo: string, action: string, actor: string, payload: Payload): GithubChange {
  const pr = payload.pull_request;
  const merged = action === "closed" && pr.merged === true;
  const what = merged ? "merged" : action === "synchronize" ? `new commits (head ${String(pr.head?.sha).slice(0, 7)})` : action.replace(/_/g, " ");
  const reviewer = action === "review_requested" ? (payload.requested_reviewer?.login ?? payload.requested_team?.name) : undefined;
  return {
    type: `pull_request.${merged ? "merged" : action}`,
    repo,
    number: pr.number,
    headSha: pr.head?.sha ?? null,
    actor,
    trust: trustOf(pr.author_association),
    summary: `${repo}#${pr.number} ${what}${reviewer ? ` (reviewer ${reviewer})` : ""} by ${actor}: ${pr.title}`,
    url: pr.html_url ?? null,
    dedupeKey: `github:pr:${repo}#${pr.number}:${_changeMark(action, pr, reviewer)}`,
    details: { action, merged, draft: pr.draft ?? false, title: pr.title, body: _clip(pr.body), branch: pr.head?.ref ?? null, author: pr.user?.login ?? null },
  };
}

/**
 * What identifies this change of the PR, readable both from a webhook and from a polled PR
 * object, so the two sources of the same change dedupe to one event.
 */
function _changeMark(action: string, pr: Payload, reviewer: string | undefined): string {
  if (action === "synchronize") return `head:${pr.head?.sha}`;
  // A request's time differs between the webhook and a later poll; whom and at which head does not.
  if (action === "review_requested") return `review_requested:${reviewer}:${pr.head?.sha}`;
  if (action === "opened") return `opened:${pr.created_at}`;
  if (action === "closed") return `closed:${pr.closed_at}`;
  return `${action}:${pr.updated_at}`;
}

function _onPull(
  repo: string,
  pull: Payload,
  change: { type: string; actor: string; trust: Trust; what: string; text: unknown; url: string | undefined; dedupeKey: string },
): GithubChange {
  return {
    type: change.type,
    repo,
    number: pull.number,
    headSha: pull.head?.sha ?? null,
    actor: change.actor,
    trust: change.trust,
    summary: `${repo}#${pull.number} ${change.what} by ${change.actor}`,
    url: change.url ?? null,
    dedupeKey: change.dedupeKey,
    details: { text: _clip(change.text), title: pull.title ?? null, mentions: _mentions(change.text) },
  };
}

function _ciCompleted(name: string, repo: string, actor: string, payload: Payload): GithubChange {
  const run = payload[name];
  const numbers: number[] = (run.pull_requests ?? []).map((pr: Payload) => pr.number);
  const label = name === "check_suite" ? "check suite" : `${name === "workflow_run" ? "workflow" : "check"} ${run.name ?? ""}`.trim();
  return {
    type: `${name}.completed`,
    repo,
    number: numbers[0] ?? null,
    headSha: run.head_sha ?? null,
    actor,
    // CI has no author association; names and outputs can come from a fork's workflow.
    trust: "untrusted",
    summary: `${repo}${numbers[0] ? `#${numbers[0]}` : ""} ${label} completed: ${run.conclusion ?? "unknown"}`,
    url: run.html_url ?? null,
    dedupeKey: `github:${name}:${run.id}:${run.conclusion}`,
    details: { conclusion: run.conclusion ?? null, name: run.name ?? null },
  };
}

function _status(repo: string, actor: string, payload: Payload): GithubChange {
  return {
    type: `status.${payload.state}`,
    repo,
    number: null,
    headSha: payload.sha,
    actor,
    trust: "untrusted",
    summary: `${repo} status ${payload.context}: ${payload.state}`,
    url: payload.target_url ?? null,
    dedupeKey: `github:status:${payload.id}`,
    details: { context: payload.context, state: payload.state, description: _clip(payload.description) },
  };
}

/** Who the text @-mentions (so "mentions of the user" read the same from a webhook and a poll). */
function _mentions(text: unknown): string[] {
  if (typeof text !== "string") return [];
  return [...new Set([...text.matchAll(/(?:^|[^\w`])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/g)].map((match) => match[1]!.toLowerCase()))];
}

/** Outside text is kept short: it is context, and every byte of it is attacker-controlled. */
function _clip(text: unknown, max = 1000): string | null {
  if (typeof text !== "string" || !text) return null;
  return text.length > max ? `${sliceWhole(text, max)}…` : text;
}
