import { existsSync } from "node:fs";
import path from "node:path";
import type { QueuedEvent } from "../../events/event-queue.js";

/** Events of one source (and watch root or repository) in a turn, shown as one line when many. */
export interface EventGroup {
  key: string | null;
  events: QueuedEvent[];
}

/** A burst this large this fast is not someone editing: a checkout, a pull, a build. */
const BURST_COUNT = 50;
const BURST_SECONDS = 30;

/** The fold key the queue uses too: files by watch root, GitHub by repository, nothing else folds. */
export function foldKeyOf(event: QueuedEvent): string | null {
  if (event.source === "files") return `files:${String(event.payload.root ?? "")}`;
  if (event.source === "github") return `github:${String(event.payload.repo ?? "")}`;
  return null;
}

/** The batch in order, with groups of more than `foldAfter` events gathered at their first event. */
export function groupEvents(events: readonly QueuedEvent[], foldAfter: number): EventGroup[] {
  const byKey = new Map<string, QueuedEvent[]>();
  for (const event of events) {
    const key = foldKeyOf(event);
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), event]);
  }
  const groups: EventGroup[] = [];
  const placed = new Set<string>();
  for (const event of events) {
    const key = foldKeyOf(event);
    if (key && byKey.get(key)!.length > foldAfter) {
      if (!placed.has(key)) groups.push({ key, events: byKey.get(key)! });
      placed.add(key);
    } else groups.push({ key: null, events: [event] });
  }
  return groups;
}

/** "1,243 files changed under src/ in 4 s — looks like a branch switch", and how to look closer. */
export function describeFold(group: EventGroup): string {
  const { events } = group;
  const count = events.length.toLocaleString("en-US");
  const seconds = Math.max(0, Math.round((Date.parse(events.at(-1)!.receivedAt) - Date.parse(events[0]!.receivedAt)) / 1000));
  if (events[0]!.source !== "files") {
    const types = _tally(events.map((event) => event.type));
    return `${count} ${events[0]!.source} events for ${String(events[0]!.payload.repo ?? "?")} in ${seconds} s (${types}); list_changes shows them one by one`;
  }
  const root = String(events[0]!.payload.root ?? "");
  const relative = events.map((event) => path.relative(root, String(event.payload.path ?? "")));
  const under = _commonDir(relative);
  const kinds = _tally(events.map((event) => String(event.payload.kind ?? "change")).map((kind) => (kind === "add" ? "created" : kind === "unlink" ? "deleted" : "changed")));
  const burst = events.length >= BURST_COUNT && seconds <= BURST_SECONDS;
  const guess = burst ? (existsSync(path.join(root, ".git")) ? " — looks like a branch switch or a pull" : " — looks like a bulk operation (a build, a copy, an unpacked archive)") : "";
  return `${count} files changed under ${under ? `${under}/` : `${root}/`} in ${seconds} s${guess} (${kinds}); list_changes shows them one by one`;
}

function _tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([value, n]) => `${n.toLocaleString("en-US")} ${value}`).join(", ");
}

/** The deepest directory every path lies under ("" when they share none). */
function _commonDir(paths: readonly string[]): string {
  const split = paths.map((file) => path.dirname(file).split(path.sep).filter((part) => part && part !== "."));
  const common: string[] = [];
  for (let i = 0; split.every((parts) => i < parts.length && parts[i] === split[0]![i]); i++) common.push(split[0]![i]!);
  return common.join("/");
}
