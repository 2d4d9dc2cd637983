import { appendAnchor, resolveAnchorFile } from "../../logs/anchor-log.js";
import type { VigilContext } from "../context/open-context.js";
import type { Runtime } from "../supervisor/assemble-runtime.js";
import { createCronSchedule } from "./cron-schedule.js";

/**
 * A heartbeat job: at `journal.anchor.cron` (daily by default) the journal's head goes to the anchor
 * log outside VIGIL_HOME, so a truncated or re-hashed journal no longer verifies against it. Not
 * journaled: the anchor is the journal's witness, not part of it. A failed write is logged and
 * retried at the next slot.
 */
export function createAnchorJob(ctx: VigilContext, runtime: Pick<Runtime, "state">): (now: Date) => Promise<void> {
  const { cron, file } = ctx.loaded.config.journal.anchor;
  const schedule = createCronSchedule({ cron, timeZone: ctx.loaded.zone, state: runtime.state, key: "anchorCheckedThrough" });
  const target = resolveAnchorFile(file, ctx.env);
  return async (now) => {
    if (!schedule.claimDue(now)) return;
    try {
      const anchor = appendAnchor(ctx.db, target, ctx.paths.home, now);
      if (anchor) ctx.logger.info({ seq: anchor.seq, file: target }, "journal head anchored");
    } catch (error) {
      ctx.logger.error({ err: error, file: target }, "could not append to the anchor log");
    }
  };
}
