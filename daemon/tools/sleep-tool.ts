import { z } from "zod";
import type { StoreTx } from "../context/store-tx.js";
import type { VigilStore } from "../store/vigil-store.js";
import { defineTool, ToolError } from "../toolkit/tool.js";

export const SLEEP_UNTIL_KEY = "sleepUntil";

const MAX_SLEEP_MINUTES = 7 * 24 * 60;

/** `sleep`: no idle wake before the given time, and one wake at it. Events still wake earlier. */
export function createSleepTool({ store }: { store: VigilStore<Pick<StoreTx, "state" | "wakeups">> }) {
  return defineTool({
    name: "sleep",
    description:
      "Choose when to look again: no idle check-in before then, and one wake-up at that time. New events still wake you earlier. Give minutes from now or an ISO time.",
    risk: "read",
    input: z.union([
      z.strictObject({ minutes: z.number().positive().max(MAX_SLEEP_MINUTES) }),
      z.strictObject({ until: z.iso.datetime({ offset: true }) }),
    ]),
    async run(input, { now }) {
      const until = "minutes" in input ? new Date(now.getTime() + input.minutes * 60_000) : new Date(input.until);
      if (until.getTime() <= now.getTime()) throw new ToolError(`until ${until.toISOString()} is not in the future`);
      if (until.getTime() - now.getTime() > MAX_SLEEP_MINUTES * 60_000) throw new ToolError("sleep at most 7 days");
      // Both or neither: a sleep without its wake-up would silence idle wakes with nothing to end it.
      await store.transaction(async (tx) => {
        await tx.state.set(SLEEP_UNTIL_KEY, until.toISOString());
        await tx.wakeups.addOnce(until, "sleep ended", "agent", now);
      });
      return { content: `sleeping until ${until.toISOString()}` };
    },
  });
}
