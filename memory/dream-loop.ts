import type Anthropic from "@anthropic-ai/sdk";
import type { ModelClient, ModelMessage } from "../daemon/brain/model-client.js";
import { usageOf } from "../daemon/brain/model-client.js";
import type { TokenUsage } from "../daemon/brain/usage-ledger.js";
import { createToolRegistry } from "../daemon/tools/tool-registry.js";
import { ToolError, type Tool } from "../daemon/tools/tool.js";
import { DREAM_SYSTEM, renderDreamRequest } from "./dream-prompt.js";
import type { DreamTask } from "./dream-protocol.js";
import { readMemoryIndex } from "./read-memory-index.js";

export interface DreamLoopDeps {
  client: ModelClient;
  tools: readonly Tool[];
  onUsage: (model: string, usage: TokenUsage) => void;
  now: () => Date;
}

/**
 * The dream's conversation with the model. Every tool call it makes is answered: a tool that is
 * not a memory tool (run_command, notify, write_file…) does not exist here and says so.
 */
export async function runDreamLoop(deps: DreamLoopDeps, task: DreamTask): Promise<{ summary: string; steps: number }> {
  const registry = createToolRegistry(deps.tools);
  const prompt = { system: [{ type: "text" as const, text: DREAM_SYSTEM }], tools: registry.definitions() };
  const messages: ModelMessage[] = [{ role: "user", content: renderDreamRequest(task, readMemoryIndex(task.stagingDir)) }];
  for (let step = 1; step <= task.maxSteps; step++) {
    const reply = await deps.client.send({ model: task.model, maxTokens: task.maxTokens, prompt, messages });
    deps.onUsage(task.model, usageOf(reply));
    messages.push({ role: "assistant", content: reply.content });
    const calls = reply.content.filter((block): block is Anthropic.ToolUseBlock => block.type === "tool_use");
    if (calls.length === 0) return { summary: _textOf(reply.content) || "(no summary)", steps: step };
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const call of calls) results.push({ type: "tool_result", tool_use_id: call.id, ..._run(registry, call, deps.now()) });
    messages.push({ role: "user", content: results });
  }
  return { summary: `stopped after ${task.maxSteps} steps`, steps: task.maxSteps };
}

function _run(registry: ReturnType<typeof createToolRegistry>, call: Anthropic.ToolUseBlock, now: Date): { content: string; is_error: boolean } {
  const tool = registry.get(call.name);
  if (!tool) return { content: `there is no tool "${call.name}" in a dream: only memory tools exist here (${registry.names().join(", ")})`, is_error: true };
  const parsed = tool.input.safeParse(call.input);
  if (!parsed.success) return { content: `invalid input for ${call.name}: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`, is_error: true };
  try {
    const result = tool.run(parsed.data, { turnId: "dream", now, timeZone: "UTC" });
    if (result instanceof Promise) throw new Error(`${call.name} is asynchronous; dream tools must be synchronous`);
    return { content: result.content, is_error: result.isError ?? false };
  } catch (error) {
    return { content: error instanceof ToolError ? error.message : `${call.name} failed: ${(error as Error).message}`, is_error: true };
  }
}

function _textOf(content: Anthropic.ContentBlock[]): string {
  return content
    .filter((block): block is Anthropic.TextBlock => block.type === "text")
    .map((block) => block.text.trim())
    .join(" ")
    .slice(0, 500);
}
