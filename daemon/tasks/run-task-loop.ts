import type Anthropic from "@anthropic-ai/sdk";
import type { ModelClient, ModelMessage } from "../brain/model-client.js";
import { usageOf } from "../brain/model-client.js";
import type { Prompt } from "../brain/prompt/build-prompt.js";
import { textOfReply } from "../brain/text-of-reply.js";
import { addUsage, NO_USAGE, totalTokens, type TokenUsage } from "../brain/usage-ledger.js";
import { invokeTool, parseToolInput } from "../toolkit/invoke-tool.js";
import type { ToolRegistry } from "../toolkit/tool-registry.js";
import type { ToolResult } from "../toolkit/tool.js";

export interface TaskLoopRequest {
  prompt: Pick<Prompt, "system" | "tools">;
  registry: ToolRegistry;
  model: string;
  maxOutputTokens: number;
  maxSteps: number;
  maxTokens: number;
  /** Set by `finish_task`; read after each step. */
  finished: () => string | undefined;
  onStep: (step: number, usage: TokenUsage) => void;
  now: () => Date;
}

export type TaskLoopResult = { ok: true; summary: string; steps: number } | { ok: false; error: string; steps: number };

/**
 * The worker's own model loop: one model call per step, every tool call answered, until
 * finish_task, a reply without tools, or a budget (steps, tokens) runs out.
 */
export async function runTaskLoop(client: ModelClient, request: TaskLoopRequest): Promise<TaskLoopResult> {
  const messages: ModelMessage[] = [{ role: "user", content: [{ type: "text", text: "Begin the task. Work with your tools and call finish_task when you are done." }] }];
  let usage = NO_USAGE;
  for (let step = 1; step <= request.maxSteps; step++) {
    const reply = await client.send({ model: request.model, maxTokens: request.maxOutputTokens, prompt: request.prompt, messages: markLastMessage(messages) });
    usage = addUsage(usage, usageOf(reply));
    request.onStep(step, usage);
    if (totalTokens(usage) > request.maxTokens) return { ok: false, error: `over the token budget (${totalTokens(usage)} of ${request.maxTokens}) after ${step} step(s)`, steps: step };
    messages.push({ role: "assistant", content: reply.content });
    const calls = reply.content.filter((block): block is Anthropic.ToolUseBlock => block.type === "tool_use");
    if (calls.length === 0) return { ok: true, summary: textOfReply(reply.content) || "(the worker ended without a summary)", steps: step };
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const call of calls) {
      const result = await _run(request.registry, call, request.now());
      results.push({ type: "tool_result", tool_use_id: call.id, content: result.content, is_error: result.isError ?? false });
    }
    const summary = request.finished();
    if (summary !== undefined) return { ok: true, summary, steps: step };
    messages.push({ role: "user", content: results });
  }
  return { ok: false, error: `used all ${request.maxSteps} steps without finishing`, steps: request.maxSteps };
}

/**
 * The conversation with one cache breakpoint on its last block, added to a copy: earlier
 * messages go out exactly as before, so each step reads the previous step's prefix from the cache.
 */
export function markLastMessage(messages: readonly ModelMessage[]): ModelMessage[] {
  const last = messages.at(-1)!;
  const blocks = typeof last.content === "string" ? [{ type: "text" as const, text: last.content }] : last.content;
  const marked = blocks.map((block, index) => (index === blocks.length - 1 ? { ...block, cache_control: { type: "ephemeral" as const } } : block));
  return [...messages.slice(0, -1), { role: last.role, content: marked } as ModelMessage];
}

async function _run(registry: ToolRegistry, call: Anthropic.ToolUseBlock, now: Date): Promise<ToolResult> {
  const tool = registry.get(call.name);
  if (!tool) return { content: `there is no tool "${call.name}" in a task worker: the tools here are ${registry.names().join(", ")}`, isError: true };
  const parsed = parseToolInput(tool, call.input);
  if ("error" in parsed) return { content: parsed.error, isError: true };
  return invokeTool(tool, parsed.data, { turnId: "task", now, timeZone: "UTC" });
}
