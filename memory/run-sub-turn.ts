import type Anthropic from "@anthropic-ai/sdk";
import type { ModelClient, ModelMessage } from "../daemon/brain/model-client.js";
import { usageOf } from "../daemon/brain/model-client.js";
import { cacheTools, EPHEMERAL, EPHEMERAL_SHORT } from "../daemon/brain/prompt/cache-breakpoints.js";
import { textOfReply } from "../daemon/brain/text-of-reply.js";
import type { TokenUsage } from "../daemon/brain/usage-ledger.js";
import { createToolRegistry, type ToolRegistry } from "../daemon/toolkit/tool-registry.js";
import { invokeTool, parseToolInput } from "../daemon/toolkit/invoke-tool.js";
import type { Tool, ToolResult } from "../daemon/toolkit/tool.js";

export interface SubTurnDeps {
  client: ModelClient;
  tools: readonly Tool[];
  onUsage: (model: string, usage: TokenUsage) => void;
  now: () => Date;
  signal?: AbortSignal;
}

export interface SubTurnRequest {
  /** What the sub-turn is, for the refusal of a tool it does not have ("a dream"). */
  what: string;
  system: string;
  request: string;
  model: string;
  maxTokens: number;
  maxSteps: number;
}

export interface SubTurnResult {
  summary: string;
  steps: number;
  /** The tools that ran without error, in order. */
  used: string[];
  /** A stay_quiet call ended it. */
  quiet: boolean;
}

/**
 * A turn with a fixed, small tool set and no policy layer (a dream, a magic-doc refresh): the
 * tools themselves are the confinement. Every call is answered; a tool the set lacks
 * (run_command, notify, write_file…) does not exist here and says so.
 */
export async function runSubTurn(deps: SubTurnDeps, task: SubTurnRequest): Promise<SubTurnResult> {
  const registry = createToolRegistry(deps.tools);
  // Breakpoints on the stable front (tools, instructions), and on the request, which every later
  // step of this sub-turn sends again: step 2 onwards reads it from cache instead of paying for it.
  const prompt = { system: [{ type: "text" as const, text: task.system, cache_control: EPHEMERAL }], tools: cacheTools(registry.definitions()) };
  const messages: ModelMessage[] = [{ role: "user", content: [{ type: "text", text: task.request, cache_control: EPHEMERAL_SHORT }] }];
  const used: string[] = [];
  for (let step = 1; step <= task.maxSteps; step++) {
    const reply = await deps.client.send({ model: task.model, maxTokens: task.maxTokens, prompt, messages, ...(deps.signal ? { signal: deps.signal } : {}) });
    deps.onUsage(task.model, usageOf(reply));
    messages.push({ role: "assistant", content: reply.content });
    const calls = reply.content.filter((block): block is Anthropic.ToolUseBlock => block.type === "tool_use");
    if (calls.length === 0) return { summary: textOfReply(reply.content) || "(no summary)", steps: step, used, quiet: false };
    const results: Anthropic.ToolResultBlockParam[] = [];
    let quietReason: string | undefined;
    for (const call of calls) {
      const result = await _run(registry, task.what, call, deps.now());
      if (!result.isError) used.push(call.name);
      if (result.quietReason !== undefined) quietReason = result.quietReason;
      results.push({ type: "tool_result", tool_use_id: call.id, content: result.content, is_error: result.isError ?? false });
    }
    if (quietReason !== undefined) return { summary: quietReason, steps: step, used, quiet: true };
    messages.push({ role: "user", content: results });
  }
  return { summary: `stopped after ${task.maxSteps} steps`, steps: task.maxSteps, used, quiet: false };
}

async function _run(registry: ToolRegistry, what: string, call: Anthropic.ToolUseBlock, now: Date): Promise<ToolResult> {
  const tool = registry.get(call.name);
  if (!tool) return { content: `there is no tool "${call.name}" in ${what}: the tools here are ${registry.names().join(", ")}`, isError: true };
  const parsed = parseToolInput(tool, call.input);
  if ("error" in parsed) return { content: parsed.error, isError: true };
  return invokeTool(tool, parsed.data, { turnId: what, now, timeZone: "UTC" });
}
