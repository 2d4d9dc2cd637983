import path from "node:path";
import { z } from "zod";
import { clipText } from "../../logs/clip-text.js";
import { defineTool, type BatchEvent } from "../toolkit/tool.js";

const PAGE = 100;

/**
 * `list_changes`: the events of this turn's batch one by one, for when the prompt folded a burst
 * into one line ("1,243 files changed under src/"). Filter by source or by a directory, page with
 * offset. It reads only what the turn was handed, never the queue.
 */
export function createListChangesTool() {
  return defineTool({
    name: "list_changes",
    description: "List the events of this wake-up one by one (the prompt folds bursts into one line): optionally only one source, or only files under a directory; page with offset.",
    risk: "read",
    input: z.strictObject({
      source: z.enum(["files", "github", "schedule", "user", "clock", "command"]).optional(),
      under: z.string().min(1).max(1000).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(PAGE).default(PAGE),
    }),
    run({ source, under, offset, limit }, { batch = [] }) {
      const matching = batch.filter((event) => (!source || event.source === source) && (!under || _isUnder(event, under)));
      if (matching.length === 0) return { content: `no events in this batch match${source ? ` source ${source}` : ""}${under ? ` under ${under}` : ""} (the batch has ${batch.length})` };
      const page = matching.slice(offset, offset + limit).map(_line);
      const more = matching.length - offset - page.length;
      return { content: [`${matching.length} matching event(s); showing ${offset + 1}–${offset + page.length}:`, ...page, ...(more > 0 ? [`… ${more} more: call again with offset ${offset + page.length}`] : [])].join("\n") };
    },
  });
}

function _isUnder(event: BatchEvent, under: string): boolean {
  const file = String(event.payload.path ?? "");
  const root = String(event.payload.root ?? "");
  if (!file) return false;
  const dir = path.isAbsolute(under) ? under : path.join(root, under);
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function _line(event: BatchEvent): string {
  const label = event.trust === "trusted" ? "" : " [untrusted]";
  return clipText(`#${event.id} ${event.source}/${event.type}${label}: ${event.summary}`, 300);
}
