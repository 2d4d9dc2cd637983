import { z } from "zod";
import { defineTool } from "../toolkit/tool.js";

export function createStayQuietTool() {
  return defineTool({
    name: "stay_quiet",
    description: "End this turn without doing anything. Use it whenever nothing is worth the user's attention right now; say why in one line.",
    risk: "read",
    input: z.strictObject({ reason: z.string().min(1).max(500) }),
    run: ({ reason }) => ({ content: "ok", quietReason: reason }),
  });
}
