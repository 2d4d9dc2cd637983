import type { JournalEntry } from "../../logs/journal-entry.js";

/**
 * The name a hook pattern matches for a journal row (DESIGN.md, "Hook patterns"): noticed events
 * as `SOURCE.EVENT` (`github.pull_request_review.submitted`, `files.change`, `user.tell`,
 * `schedule.due`, a task's result `task.finished` / `task.failed`), turns as `turn.quiet` /
 * `turn.acted`, actions as `action.TOOL`, a dream as `dream.done`. Rows that are none of these (errors, system rows, intents) name no hook event, so
 * a hook's own failure row can never trigger another hook.
 */
export function hookEventOf(entry: JournalEntry): string | undefined {
  const data = entry.data;
  switch (entry.kind) {
    case "noticed":
      return typeof data.source === "string" && typeof data.type === "string" ? _eventName(data.source, data.type) : undefined;
    case "quiet":
      return typeof data.turnId === "string" ? "turn.quiet" : undefined;
    case "decided":
      return Array.isArray(data.actions) ? "turn.acted" : undefined;
    case "acted":
      return typeof data.tool === "string" ? `action.${data.tool}` : undefined;
    case "dream":
      return data.dryRun ? undefined : "dream.done";
    default:
      return undefined;
  }
}

/** The queue's own type names, spelt the way people write patterns. */
function _eventName(source: string, type: string): string {
  if (source === "user" && type === "message") return "user.tell";
  if (source === "schedule" && type === "schedule") return "schedule.due";
  if (source === "files") return `files.${type.replace(/^file\./, "")}`;
  return `${source}.${type}`;
}
