import { z } from "zod";
import type { StoreTx } from "../context/store-tx.js";
import { isValidCron } from "../events/wakeups.js";
import type { VigilStore } from "../store/vigil-store.js";
import { defineTool, ToolError } from "../toolkit/tool.js";

/** `schedule`: a persisted one-off (`at`) or recurring (`cron`) wake-up with a note to self. */
export function createScheduleTool({ store }: { store: VigilStore<Pick<StoreTx, "wakeups">> }) {
  return defineTool({
    name: "schedule",
    description:
      "Set a wake-up for later: once at an ISO time, or recurring with a 5-field cron expression in the user's time zone. The note is what you will see when it fires.",
    risk: "read",
    input: z.union([
      z.strictObject({ at: z.iso.datetime({ offset: true }), note: z.string().min(1).max(500) }),
      z.strictObject({ cron: z.string().min(1), note: z.string().min(1).max(500) }),
    ]),
    async run(input, { now }) {
      if ("at" in input) {
        const at = new Date(input.at);
        if (at.getTime() <= now.getTime()) throw new ToolError(`at ${input.at} is in the past`);
        const id = await store.transaction((tx) => tx.wakeups.addOnce(at, input.note, "agent", now));
        return { content: `scheduled wake-up ${id} at ${at.toISOString()}` };
      }
      if (!isValidCron(input.cron)) throw new ToolError(`"${input.cron}" is not a valid cron expression (e.g. "0 9 * * 1-5")`);
      const id = await store.transaction((tx) => tx.wakeups.addCron(input.cron, input.note, "agent", now));
      return { content: `scheduled recurring wake-up ${id} (${input.cron})` };
    },
  });
}
