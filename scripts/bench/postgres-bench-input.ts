import type { NewEvent } from "../../daemon/events/event-queue.js";
import type { JournalInput } from "../../logs/journal-entry.js";

/** The row journal-bench.ts appends, so the two engines' figures compare like for like. */
export function benchJournalInput(i: number): JournalInput {
  return { kind: "noticed", summary: `file changed: src/module-${i % 500}.ts`, data: { path: `src/module-${i % 500}.ts`, size: i % 4096 } };
}

/** A reviewed pull request, as the webhook bench's deliveries become events: `key` makes each one new. */
export function benchNewEvent(key: string): NewEvent {
  return {
    source: "github",
    type: "pull_request_review.submitted",
    dedupeKey: `github:review:${key}`,
    trust: "untrusted",
    summary: `octo/app#1 review by reviewer: looks fine ${key}`,
    payload: { repo: "octo/app", number: 1, actor: "reviewer", url: "https://github.com/octo/app/pull/1", state: "commented", body: `looks fine ${key}` },
  };
}
