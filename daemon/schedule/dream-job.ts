import type { VigilContext } from "../context/open-context.js";
import type { Runtime } from "../supervisor/assemble-runtime.js";
import { runDream } from "../../memory/run-dream.js";
import { createCronSchedule } from "./cron-schedule.js";
import { createBackgroundSlot } from "./background-slot.js";

export interface DreamJob {
  /** A heartbeat job: at `dream.cron`, starts a dream in the background (a tick never waits for it). */
  tick(now: Date): Promise<void>;
  /** Kills a dream in flight (memory stays as it was) and waits for it to settle. */
  stop(): Promise<void>;
}

export function createDreamJob(ctx: VigilContext, runtime: Runtime, provider: "anthropic" | "rules"): DreamJob {
  const schedule = createCronSchedule({ cron: ctx.loaded.config.dream.cron, timeZone: ctx.loaded.zone, state: runtime.state, key: "dreamCheckedThrough" });
  const slot = createBackgroundSlot(ctx.logger, "dream");
  return {
    async tick(now) {
      if (!schedule.claimDue(now) || slot.busy()) return;
      if (runtime.health.authBlock()) {
        ctx.journal.append({ kind: "system", summary: "dream skipped: the API key was refused; no model calls until it changes", data: { event: "dream-skipped", reason: "key refused" } });
        return;
      }
      if (provider !== "anthropic") {
        ctx.journal.append({ kind: "system", summary: "dream skipped: dreaming needs a model (set ANTHROPIC_API_KEY)", data: { event: "dream-skipped", reason: "no model" } });
        return;
      }
      slot.start(async (signal) => {
        const result = await runDream({ ctx, usage: runtime.turn.usage, state: runtime.state }, { signal });
        if (result.outcome === "skipped") ctx.journal.append({ kind: "system", summary: `dream skipped: ${result.reason}`, data: { event: "dream-skipped", reason: result.reason } });
      });
    },
    stop: slot.stop,
  };
}
