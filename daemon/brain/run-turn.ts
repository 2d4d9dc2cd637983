import { randomUUID } from "node:crypto";
import type Anthropic from "@anthropic-ai/sdk";
import { queryRecentEntries } from "../../logs/query-entries.js";
import { renderMemoryIndex } from "../../memory/render-memory-index.js";
import { saveTranscript } from "../../memory/transcripts.js";
import { runToolCall, type TurnScope } from "../tools/run-tool-call.js";
import type { ModelMessage } from "./model-client.js";
import { buildPrompt, type Prompt } from "./prompt/build-prompt.js";
import { askTriage } from "./triage.js";
import { textOfReply } from "./text-of-reply.js";
import type { TurnDeps, TurnOutcome } from "./turn-deps.js";
import { startTurnRecord, type TurnRecord } from "./turn-record.js";

const RECENT_JOURNAL_ROWS = 12;

/**
 * One turn: claim the pending events, build the prompt, optionally triage, then run the tool loop
 * until the model stays quiet, stops calling tools, or runs out of steps. A model failure hands
 * the events back and is reported to the caller, which decides about backoff.
 */
export async function runTurn(deps: TurnDeps, reason: string, stop?: AbortSignal): Promise<TurnOutcome> {
  const recentJournal = queryRecentEntries(deps.db, RECENT_JOURNAL_ROWS);
  const turn = startTurnRecord(deps, randomUUID(), reason);
  const events = deps.events.claim(turn.id);
  const scope: TurnScope = {
    turnId: turn.id,
    now: deps.now(),
    timeZone: deps.timeZone,
    previousTurns: [...new Set(events.flatMap((event) => event.previousTurns))],
    tainted: events.some((event) => event.trust === "untrusted"),
    goal: events.filter((event) => event.trust === "trusted").map((event) => `${event.source}/${event.type}: ${event.summary}`).join("\n") || "(no explicit request: a periodic check)",
  };
  const prompt = buildPrompt({
    tools: deps.toolDeps.registry.definitions(),
    memoryIndex: renderMemoryIndex(deps.memoryDir, scope.now),
    now: scope.now,
    timeZone: deps.timeZone,
    wakeReason: reason,
    events,
    recentJournal,
  });
  const timeout = AbortSignal.timeout(deps.turnTimeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  const messages: ModelMessage[] = [{ role: "user", content: prompt.dynamic }];
  try {
    if (deps.config.model.triageModel && !(await askTriage(deps, turn, prompt, signal))) {
      turn.finish("quiet", "triage: nothing worth doing", { triage: "no" });
      return { outcome: "quiet", turnId: turn.id, events: events.length };
    }
    const outcome = await _toolLoop(deps, turn, prompt, messages, scope, signal);
    return { outcome, turnId: turn.id, events: events.length };
  } catch (error) {
    turn.fail();
    return { outcome: "failed", turnId: turn.id, events: events.length, error: error as Error };
  } finally {
    if (messages.length > 1) saveTranscript(deps.db, turn.id, messages, { now: deps.now(), timeZone: deps.timeZone, redact: deps.toolDeps.redact });
  }
}

async function _toolLoop(deps: TurnDeps, turn: TurnRecord, prompt: Prompt, messages: ModelMessage[], scope: TurnScope, signal: AbortSignal): Promise<"quiet" | "acted"> {
  const { name: model, maxTokens } = deps.config.model;
  const actions: string[] = [];
  for (let step = 1; step <= deps.config.heartbeat.maxSteps; step++) {
    const reply = await deps.client!.send({ model, maxTokens, prompt, messages, signal });
    turn.countUsage(model, reply);
    messages.push({ role: "assistant", content: reply.content });
    const calls = reply.content.filter((block): block is Anthropic.ToolUseBlock => block.type === "tool_use");
    if (calls.length === 0) return _close(turn, actions, textOfReply(reply.content) || `stopped (${reply.stop_reason ?? "no reason"})`, step);

    const results: Anthropic.ToolResultBlockParam[] = [];
    let quietReason: string | undefined;
    for (const call of calls) {
      const result = await runToolCall(deps.toolDeps, call, { ...scope, now: deps.now() });
      // Outside text (an MCP result) taints the rest of the turn, as an untrusted event would.
      if (result.untrusted) scope.tainted = true;
      if (result.quietReason !== undefined) quietReason = result.quietReason;
      // Only effects the user can see make a turn a decision; sleep and schedule are bookkeeping.
      else if (!result.isError && !result.repeated && !result.deferred && deps.toolDeps.registry.get(call.name)?.risk !== "read") actions.push(call.name);
      results.push({ type: "tool_result", tool_use_id: call.id, content: result.content, is_error: result.isError ?? false });
    }
    if (quietReason !== undefined) return _close(turn, actions, quietReason, step);
    messages.push({ role: "user", content: results });
  }
  return _close(turn, actions, `stopped after ${deps.config.heartbeat.maxSteps} steps without a decision`, deps.config.heartbeat.maxSteps);
}

/** A turn with no action is quiet, whatever ended it; one with actions is a decision. */
function _close(turn: TurnRecord, actions: string[], summary: string, steps: number): "quiet" | "acted" {
  if (actions.length === 0) {
    turn.finish("quiet", summary, { steps });
    return "quiet";
  }
  turn.finish("decided", summary, { steps, actions });
  return "acted";
}
