import { buildReviewDigest, renderReviewDigest } from "../review/review-digest.js";
import { localDay, shiftDay } from "../../logs/local-day.js";
import { listUntrustedTopics } from "../../memory/topic-trust.js";
import type { VigilContext } from "../context/open-context.js";
import type { Runtime } from "../supervisor/assemble-runtime.js";
import { createCronSchedule } from "./cron-schedule.js";

/** A heartbeat job: at `review.cron`, yesterday's and today's digest goes out as a notification. */
export function createMorningReviewJob(ctx: VigilContext, runtime: Runtime): (now: Date) => Promise<void> {
  const schedule = createCronSchedule({ cron: ctx.loaded.config.review.cron, timeZone: ctx.loaded.timezone, state: runtime.state, key: "reviewCheckedThrough" });
  return async (now) => {
    if (!schedule.claimDue(now)) return;
    const today = localDay(now, ctx.loaded.timezone);
    const digest = buildReviewDigest(
      { db: ctx.db, usage: runtime.turn.usage, prices: ctx.loaded.config.review.prices, logsDir: ctx.paths.logsDir, now },
      [shiftDay(today, -1), today],
      { untrustedMemory: listUntrustedTopics(ctx.paths.memoryDir) },
    );
    const body = renderReviewDigest(digest).split("\n").slice(2, 4).join("\n");
    const result = await runtime.notifier.send({ title: "Vigil: your morning review", body: `${body}\nRun \`vigil review\` for the rest.` });
    ctx.journal.append({
      kind: "system",
      summary: `morning review sent via ${result.delivered.join(", ") || "nothing"}: ${digest.wakes} wake(s), ${digest.actions.length} action(s), ${digest.errors.length} error(s)`,
      data: { event: "review-sent", days: digest.days, delivered: result.delivered },
    });
  };
}
