import type Anthropic from "@anthropic-ai/sdk";
import type { Prompt } from "./prompt/build-prompt.js";
import type { TurnDeps } from "./turn-deps.js";
import type { TurnRecord } from "./turn-record.js";

const QUESTION = "\n\nAnswer with one word, yes or no: is anything here worth acting on right now?";

/**
 * The cheap first look: the triage model sees the same context without tools and answers yes or
 * no. Only an explicit "no" skips the full turn; anything unclear goes on to the main model.
 */
export async function askTriage(deps: TurnDeps, turn: TurnRecord, prompt: Prompt, signal: AbortSignal): Promise<boolean> {
  const model = deps.config.model.triageModel!;
  const reply = await deps.client!.ask({
    model,
    maxTokens: 5,
    prompt: { system: prompt.system, tools: [] },
    messages: [{ role: "user", content: prompt.dynamic + QUESTION }],
    signal,
  });
  turn.countUsage(model, reply);
  const answer = reply.content
    .filter((block): block is Anthropic.TextBlock => block.type === "text")
    .map((block) => block.text)
    .join("")
    .trim()
    .toLowerCase();
  return !answer.startsWith("no");
}
