import { buildReviewDigest, renderReviewDigest } from "../review/review-digest.js";
import { localDay, shiftDay } from "../../logs/local-day.js";
import { appendAnchor, resolveAnchorFile } from "../../logs/anchor-log.js";
import { listUntrustedTopics } from "../../memory/topic-trust.js";
import type { VigilContext } from "../context/open-context.js";
import type { Runtime } from "../supervisor/assemble-runtime.js";
import { createCronSchedule } from "./cron-schedule.js";
import { readHttpRunState } from "../locks/http-run-file.js";

/**
 * With `journal.anchor.notify`, the head goes into the anchor log and into the notification, so a
 * copy of it lives on the phone too. Best effort: the review goes out without it on a failure.
 */
function _anchorLine(ctx: VigilContext, now: Date): string {
  const { notify, file } = ctx.loaded.config.journal.anchor;
  if (!notify) return "";
  try {
    const anchor = appendAnchor(ctx.db, resolveAnchorFile(file, ctx.env), ctx.paths.home, now);
    return anchor ? `\nJournal head: seq ${anchor.seq} ${anchor.hash}` : "";
  } catch (error) {
    ctx.logger.error({ err: error }, "could not anchor the journal head for the review");
    return "";
  }
}

/** A heartbeat job: at `review.cron`, yesterday's and today's digest goes out as a notification. */
export function createMorningReviewJob(ctx: VigilContext, runtime: Runtime): (now: Date) => Promise<void> {
  const schedule = createCronSchedule({ cron: ctx.loaded.config.review.cron, timeZone: ctx.loaded.zone, state: runtime.state, key: "reviewCheckedThrough" });
  return async (now) => {
    if (!schedule.claimDue(now)) return;
    const today = localDay(now, ctx.loaded.timezone);
    const digest = buildReviewDigest(
      { db: ctx.db, usage: runtime.turn.usage, prices: ctx.loaded.config.review.prices, logsDir: ctx.paths.logsDir, now },
      [shiftDay(today, -1), today],
      { untrustedMemory: listUntrustedTopics(ctx.paths.memoryDir) },
    );
    const body = renderReviewDigest(digest, ctx.loaded.timezone).split("\n").slice(2, 4).join("\n");
    const http = readHttpRunState(ctx.paths.runDir);
    const page = http?.listening && http.pid === process.pid ? `${http.url}/` : undefined;
    const anchor = _anchorLine(ctx, now);
    const result = await runtime.notifier.send({
      title: "Vigil: your morning review",
      body: `${body}\n${page ? `The page: ${page} (\`vigil open\` logs a browser in).` : "Run `vigil review` for the rest."}${anchor}`,
      ...(page ? { url: page } : {}),
    });
    ctx.journal.append({
      kind: "system",
      summary: `morning review sent via ${result.delivered.join(", ") || "nothing"}: ${digest.wakes} wake(s), ${digest.actions.length} action(s), ${digest.errors.length} error(s)`,
      data: { event: "review-sent", days: digest.days, delivered: result.delivered },
    });
  };
}
