import type Anthropic from "@anthropic-ai/sdk";
import type { Prompt } from "./prompt/build-prompt.js";
import type { TurnDeps } from "./turn-deps.js";
import type { TurnRecord } from "./turn-record.js";

const QUESTION = "\n\nAnswer with one word, yes or no: is anything here worth acting on right now?";

/**
 * The cheap first look: the triage model sees the same context without tools and answers yes or
 * no. Only an explicit "no" skips the full turn; anything unclear goes on to the main model.
 */
export async function askTriage(deps: TurnDeps, turn: TurnRecord, prompt: Prompt, model: string, signal: AbortSignal, { cache = true } = {}): Promise<boolean> {
  // Idle wakes back off to an hour and more apart, past the cache's life: a cache write (2x input) would never be read.
  const system = cache ? prompt.system : prompt.system.map(({ cache_control: _uncached, ...block }) => block);
  const reply = await deps.client!.ask({
    model,
    maxTokens: 5,
    prompt: { system, tools: [] },
    messages: [{ role: "user", content: prompt.dynamic + QUESTION }],
    signal,
  });
  await turn.countUsage(model, reply);
  const answer = reply.content
    .filter((block): block is Anthropic.TextBlock => block.type === "text")
    .map((block) => block.text)
    .join("")
    .trim()
    .toLowerCase();
  return !answer.startsWith("no");
}
