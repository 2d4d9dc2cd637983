import { z } from "zod";
import type { Notifier } from "../notify/notifier.js";
import { defineTool, ToolError } from "../toolkit/tool.js";

export function createNotifyTool({ notifier }: { notifier: Notifier }) {
  return defineTool({
    name: "notify",
    description: "Tell the user something worth interrupting them for: a short title and body, optionally a priority and a link.",
    risk: "notify",
    input: z.strictObject({
      title: z.string().min(1).max(120),
      body: z.string().min(1).max(2000),
      priority: z.enum(["low", "default", "high", "urgent"]).optional(),
      url: z.url().optional(),
    }),
    async run(input) {
      const result = await notifier.send(input);
      if (result.delivered.length === 0) {
        throw new ToolError(`no channel delivered it: ${result.failures.map((f) => `${f.channel}: ${f.error}`).join("; ")}`);
      }
      const failed = result.failures.map((f) => `${f.channel} failed: ${f.error}`).join("; ");
      return { content: `delivered via ${result.delivered.join(", ")}${failed ? ` (${failed})` : ""}` };
    },
  });
}
