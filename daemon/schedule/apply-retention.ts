import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type { VigilContext } from "../context/open-context.js";
import type { DaemonState } from "../state/daemon-state.js";
import { localDay } from "../../logs/local-day.js";

const DAY_MS = 86_400_000;
const LAST_RUN_KEY = "retentionDay";
/**
 * How long a webhook delivery id is remembered. GitHub can redeliver a delivery (same id) for 3
 * days, GitHub Enterprise Server for 7: a month is well past both, and the events themselves are
 * deduplicated by change besides. Without a limit the table grows by every delivery, forever.
 */
export const DELIVERY_IDS_DAYS = 30;

export interface RetentionResult {
  transcripts: number;
  outboxFiles: number;
  memoryVersions: number;
  webhookDeliveries: number;
}

/**
 * Drops what `retention` allows: transcripts (and their search entries), outbox files and old
 * memory versions past their limits; and, always, webhook delivery ids past DELIVERY_IDS_DAYS.
 * Never a journal row: the record stays whole.
 */
export function applyRetention(ctx: Pick<VigilContext, "db" | "loaded" | "paths">, now: Date): RetentionResult {
  const { transcriptsDays, outboxDays, memoryVersions } = ctx.loaded.config.retention;
  const result: RetentionResult = { transcripts: 0, outboxFiles: 0, memoryVersions: 0, webhookDeliveries: 0 };
  if (transcriptsDays !== null) {
    const before = new Date(now.getTime() - transcriptsDays * DAY_MS).toISOString();
    ctx.db
      .transaction(() => {
        ctx.db.prepare("DELETE FROM recall WHERE source = 'transcript' AND ref IN (SELECT turn_id FROM transcripts WHERE ts < ?)").run(before);
        result.transcripts = ctx.db.prepare("DELETE FROM transcripts WHERE ts < ?").run(before).changes;
      })
      .immediate();
  }
  if (outboxDays !== null) result.outboxFiles = _dropOldFiles(ctx.paths.outboxDir, now.getTime() - outboxDays * DAY_MS);
  if (memoryVersions !== null) {
    result.memoryVersions = ctx.db.prepare("DELETE FROM memory_versions WHERE version NOT IN (SELECT version FROM memory_versions ORDER BY version DESC LIMIT ?)").run(memoryVersions).changes;
  }
  const deliveriesBefore = new Date(now.getTime() - DELIVERY_IDS_DAYS * DAY_MS).toISOString();
  result.webhookDeliveries = ctx.db.prepare("DELETE FROM webhook_deliveries WHERE received_at < ?").run(deliveriesBefore).changes;
  return result;
}

/** A heartbeat job: retention once per local day (and at start), journaled when it dropped anything. */
export function createRetentionJob(ctx: VigilContext, state: DaemonState): (now: Date) => Promise<void> {
  return async (now) => {
    const day = localDay(now, ctx.loaded.zone);
    if (state.get<string>(LAST_RUN_KEY) === day) return;
    state.set(LAST_RUN_KEY, day);
    const dropped = applyRetention(ctx, now);
    if (dropped.transcripts + dropped.outboxFiles + dropped.memoryVersions + dropped.webhookDeliveries === 0) return;
    const deliveries = dropped.webhookDeliveries ? `, ${dropped.webhookDeliveries} webhook delivery id(s) older than ${DELIVERY_IDS_DAYS} days` : "";
    ctx.journal.append({
      kind: "system",
      summary: `retention: dropped ${dropped.transcripts} transcript(s), ${dropped.outboxFiles} outbox file(s), ${dropped.memoryVersions} old memory version(s)${deliveries}`,
      data: { event: "retention", ...dropped },
    });
  };
}

function _dropOldFiles(dir: string, beforeMs: number): number {
  let dropped = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0; // no outbox yet
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.mtimeMs >= beforeMs) continue;
    rmSync(file, { force: true });
    dropped++;
  }
  return dropped;
}
