import { randomUUID } from "node:crypto";
import type Anthropic from "@anthropic-ai/sdk";
import { CHARS_PER_TOKEN, clipText } from "../../logs/clip-text.js";
import { queryRecentEntries } from "../../logs/query-entries.js";
import { renderMemoryIndex } from "../../memory/render-memory-index.js";
import { saveTranscript } from "../../memory/transcripts.js";
import type { BatchLimits, QueuedEvent } from "../events/event-queue.js";
import { runToolCall, type TurnScope } from "../tools/run-tool-call.js";
import { blamesEvents, isPromptTooLong } from "./classify-model-error.js";
import type { ModelMessage } from "./model-client.js";
import { buildPrompt, type Prompt } from "./prompt/build-prompt.js";
import { askTriage } from "./triage.js";
import { textOfReply } from "./text-of-reply.js";
import type { TurnDeps, TurnOutcome } from "./turn-deps.js";
import { claimBatchIn } from "../events/claim-batch.js";
import { startTurnRecordIn, type TurnRecord } from "./turn-record.js";

/** A tool result is never clipped below this: the model must still see what the tool said. */
const MIN_RESULT_CHARS = 500;
/** Idle wakes ask this cheap model first even when `model.triageModel` is unset; only its "yes" reaches the main model. */
export const IDLE_TRIAGE_MODEL = "claude-haiku-5-5";

/**
 * One turn: claim a bounded batch of pending events, build the prompt, optionally triage, then run
 * the tool loop until the model stays quiet, stops calling tools, or runs out of steps. A request
 * refused as too long gives the batch back and retries with half of it. A model failure hands the
 * events back (counting it against them when it may be their doing) and is reported to the
 * caller, which decides about backoff.
 */
export async function runTurn(deps: TurnDeps, reason: string, stop?: AbortSignal): Promise<TurnOutcome> {
  const context = deps.config.context;
  const recentJournal = queryRecentEntries(deps.db, context.journalRows);
  const turn = await startTurnRecordIn(deps.store, deps, randomUUID(), reason);
  const timeout = AbortSignal.timeout(deps.turnTimeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  const fullResults = new Map<string, string>();
  let messages: ModelMessage[] = [];
  let events: QueuedEvent[] = [];
  try {
    for (let share = 1; ; share /= 2) {
      const limits = _limits(deps, share);
      events = await deps.store.transaction((tx) => claimBatchIn(tx, turn.id, limits, deps.now()));
      const scope = _scope(deps, turn.id, events);
      const prompt = buildPrompt({
        tools: deps.toolDeps.registry.definitions(),
        memoryIndex: renderMemoryIndex(deps.memoryDir, scope.now),
        now: scope.now,
        timeZone: deps.timeZone,
        wakeReason: reason,
        events,
        recentJournal,
        budget: context,
      });
      messages = [{ role: "user", content: prompt.dynamic }];
      try {
        const triage = _triageFor(deps, events);
        if (triage && !(await askTriage(deps, turn, prompt, triage.model, signal, { cache: !triage.idleOnly }))) {
          await turn.finish("quiet", "triage: nothing worth doing", { triage: "no" });
          return { outcome: "quiet", turnId: turn.id, events: events.length };
        }
        const outcome = await _toolLoop(deps, turn, prompt, messages, scope, signal, fullResults);
        return { outcome, turnId: turn.id, events: events.length };
      } catch (error) {
        // Nothing has run yet when the first request is refused: the same turn can try a smaller batch.
        if (!(isPromptTooLong(error) && messages.length === 1 && events.length > 1)) throw error;
        const shrunk = events.length;
        await deps.store.transaction(async (tx) => {
          await tx.queue.unclaim(turn.id);
          await tx.journal.append({ kind: "system", summary: `prompt too long with ${shrunk} event(s); retrying with a smaller batch`, data: { event: "batch-shrunk", turnId: turn.id, events: shrunk } });
        });
      }
    }
  } catch (error) {
    const quarantined = await turn.fail({ blame: blamesEvents(error), quarantineAfter: context.quarantineAfter, error: error as Error });
    return { outcome: "failed", turnId: turn.id, events: events.length, error: error as Error, quarantined };
  } finally {
    if (messages.length > 1) saveTranscript(deps.db, turn.id, messages, { now: deps.now(), timeZone: deps.timeZone, redact: deps.toolDeps.redact, fullResults });
  }
}

function _limits(deps: TurnDeps, share: number): BatchLimits {
  const context = deps.config.context;
  return {
    maxEvents: Math.max(1, Math.floor(context.maxEvents * share)),
    maxChars: Math.max(1, Math.floor(context.eventTokens * CHARS_PER_TOKEN * share)),
    eventChars: context.eventTokensEach * CHARS_PER_TOKEN,
    foldAfter: context.foldAfter,
    maxFolded: Math.max(1, Math.floor(context.maxFolded * share)),
  };
}

function _scope(deps: TurnDeps, turnId: string, events: readonly QueuedEvent[]): TurnScope {
  return {
    turnId,
    now: deps.now(),
    timeZone: deps.timeZone,
    batch: events,
    previousTurns: [...new Set(events.flatMap((event) => event.previousTurns))],
    tainted: events.some((event) => event.trust === "untrusted"),
    taintedBy: _taintSource(events),
    goal: events.filter((event) => event.trust === "trusted").map((event) => `${event.source}/${event.type}: ${clipText(event.summary, 300)}`).join("\n") || "(no explicit request: a periodic check)",
  };
}

async function _toolLoop(deps: TurnDeps, turn: TurnRecord, prompt: Prompt, messages: ModelMessage[], scope: TurnScope, signal: AbortSignal, fullResults: Map<string, string>): Promise<"quiet" | "acted"> {
  const { name: model, maxTokens } = deps.config.model;
  const { toolResultTokens, turnTokens } = deps.config.context;
  const actions: string[] = [];
  const runTool = deps.runTool ?? ((call, callScope) => runToolCall(deps.toolDeps, call, callScope));
  let spent = 0;
  for (let step = 1; step <= deps.config.heartbeat.maxSteps; step++) {
    const reply = await deps.client!.send({ model, maxTokens, prompt, messages, signal });
    await turn.countUsage(model, reply);
    messages.push({ role: "assistant", content: reply.content });
    spent += JSON.stringify(reply.content).length;
    const calls = reply.content.filter((block): block is Anthropic.ToolUseBlock => block.type === "tool_use");
    if (calls.length === 0) return await _close(turn, actions, textOfReply(reply.content) || `stopped (${reply.stop_reason ?? "no reason"})`, step, scope.tainted ?? false);

    const results: Anthropic.ToolResultBlockParam[] = [];
    let quietReason: string | undefined;
    for (const call of calls) {
      const result = await runTool(call, { ...scope, now: deps.now() });
      // Outside text (an MCP result) taints the rest of the turn, as an untrusted event would.
      if (result.untrusted && !scope.tainted) Object.assign(scope, { tainted: true, taintedBy: `the result of ${call.name}` });
      if (result.quietReason !== undefined) quietReason = result.quietReason;
      // Only effects the user can see make a turn a decision; sleep and schedule are bookkeeping.
      else if (!result.isError && !result.repeated && !result.deferred && deps.toolDeps.registry.get(call.name)?.risk !== "read") actions.push(call.name);
      // What the model sees is bounded by the turn's budget; the transcript keeps the whole of it.
      const room = Math.max(MIN_RESULT_CHARS, Math.min(toolResultTokens * CHARS_PER_TOKEN, turnTokens * CHARS_PER_TOKEN - spent));
      const content = clipText(result.content, room, "the rest is kept in the transcript; ask for a narrower part (a smaller file, a search)");
      if (content !== result.content) fullResults.set(call.id, result.content);
      spent += content.length;
      results.push({ type: "tool_result", tool_use_id: call.id, content, is_error: result.isError ?? false });
    }
    if (quietReason !== undefined) return await _close(turn, actions, quietReason, step, scope.tainted ?? false);
    messages.push({ role: "user", content: results });
  }
  return await _close(turn, actions, `stopped after ${deps.config.heartbeat.maxSteps} steps without a decision`, deps.config.heartbeat.maxSteps, scope.tainted ?? false);
}

/** A turn with no action is quiet, whatever ended it; one with actions is a decision. */
async function _close(turn: TurnRecord, actions: string[], summary: string, steps: number, tainted: boolean): Promise<"quiet" | "acted"> {
  // A tainted turn's own words may restate outside text: the dream must know where they came from.
  if (actions.length === 0) {
    await turn.finish("quiet", summary, { steps, tainted });
    return "quiet";
  }
  await turn.finish("decided", summary, { steps, actions, tainted });
  return "acted";
}

/** `model.triageModel` for every wake when set; otherwise the cheap default for a wake that is only the idle check-in. */
function _triageFor(deps: TurnDeps, events: ReadonlyArray<{ source: string; type: string }>): { model: string; idleOnly: boolean } | undefined {
  const idleOnly = events.length > 0 && events.every((event) => event.source === "clock" && event.type === "idle");
  const model = deps.config.model.triageModel ?? (idleOnly ? IDLE_TRIAGE_MODEL : undefined);
  return model ? { model, idleOnly } : undefined;
}

/** The first untrusted event, in words: what an approval notice names as the taint's source. */
function _taintSource(events: readonly QueuedEvent[]): string | undefined {
  const first = events.find((event) => event.trust === "untrusted");
  return first && `${first.source}/${first.type}: ${first.summary.slice(0, 160)}`;
}
