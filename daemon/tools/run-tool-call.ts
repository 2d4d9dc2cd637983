import { clipText } from "../../logs/clip-text.js";
import type { Journal } from "../../logs/journal.js";
import { localDay } from "../../logs/local-day.js";
import type { RawConfig } from "../config/config-schema.js";
import type { Notifier } from "../notify/notifier.js";
import type { Approval, ApprovalQueue } from "../policy/approvals.js";
import type { CriticVerdict } from "../brain/critic.js";
import type { createCriticRecord } from "../brain/critic-record.js";
import { decidePolicy } from "../policy/decide-policy.js";
import type { ActionLedger } from "./action-ledger.js";
import type { ToolRegistry } from "../toolkit/tool-registry.js";
import { invokeTool, parseToolInput, pinToolInput } from "../toolkit/invoke-tool.js";
import type { Tool, ToolCallContext, ToolResult } from "../toolkit/tool.js";

export { DEFAULT_POLICY } from "../policy/decide-policy.js";

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface ToolRunDeps {
  registry: ToolRegistry;
  ledger: ActionLedger;
  journal: Journal;
  policy: RawConfig["tools"]["policy"];
  approvals: ApprovalQueue;
  notifier: Notifier;
  critic: (request: { goal: string; tool: string; input: unknown; tainted: boolean }) => Promise<CriticVerdict>;
  criticRecord: ReturnType<typeof createCriticRecord>;
  /** Applied to every result before the model sees it: a file or command output may hold a secret. */
  redact: <T>(value: T) => T;
  /** Tells the user about a new approval (the whole action, why, until when; buttons where allowed). */
  announceApproval?: (approval: Approval, taintedBy: string | undefined) => Promise<unknown>;
  /** The user's `before_tool` hooks; a veto refuses the call before any policy runs. */
  beforeTool?: (tool: string, payload: unknown) => Promise<{ veto?: string }>;
}

/** How a turn runs one tool call: the real path below, or a recorder (`vigil eval`). */
export type ToolRunner = (call: ToolCall, scope: TurnScope) => Promise<ToolResult>;

export interface TurnScope extends ToolCallContext {
  /** Turns that claimed this turn's events before and died; their actions are not repeated. */
  previousTurns: readonly string[];
  /** The turn consumed untrusted outside text. */
  tainted?: boolean;
  /** Where that text came from, in words, for the approval notice. */
  taintedBy?: string;
  /** What the user (and trusted sources) asked for, as the critic sees it. */
  goal?: string;
}

/**
 * Runs one tool call from the model and always returns a result for it: an unknown tool, bad
 * input, a refusal or a failure becomes a tool error the model can read, never an exception.
 * Policy first (deny, approval, critic), then the ledger, then the tool.
 */
export async function runToolCall(deps: ToolRunDeps, call: ToolCall, scope: TurnScope): Promise<ToolResult> {
  const result = await _decideAndRun(deps, call, scope);
  return { ...result, content: deps.redact(result.content) };
}

async function _decideAndRun(deps: ToolRunDeps, call: ToolCall, scope: TurnScope): Promise<ToolResult> {
  const tool = deps.registry.get(call.name);
  if (!tool) return _error(`unknown tool "${call.name}"; the tools are: ${deps.registry.names().join(", ")}`);
  const parsed = parseToolInput(tool, call.input);
  if ("error" in parsed) return _error(parsed.error);
  const day = localDay(scope.now, scope.timeZone);
  const decision = decidePolicy(tool, deps.policy, { tainted: scope.tainted ?? false, criticExhausted: deps.criticRecord.exhausted(tool.name, day) });
  const note = (summary: string, outcome: string, extra: Record<string, unknown> = {}) =>
    deps.journal.append({ kind: "acted", summary, data: { turnId: scope.turnId, toolUseId: call.id, tool: tool.name, input: _clipInput(parsed.data), outcome, ...extra } });

  const hook = await deps.beforeTool?.(tool.name, { tool: tool.name, input: parsed.data, turnId: scope.turnId, tainted: scope.tainted ?? false });
  if (hook?.veto) {
    note(`${tool.name} vetoed by a before_tool hook: ${hook.veto}`, "vetoed", { veto: hook.veto });
    return _error(`a before_tool hook refused this ${tool.name} call: ${hook.veto}`);
  }

  if (decision.policy === "deny") {
    note(`${tool.name} refused: ${decision.reason}`, "refused");
    return _error(`${tool.name} is not allowed (${decision.reason})`);
  }
  if (decision.policy === "ask") return _requestApproval(deps, tool, parsed.data, call, scope, decision.reason);
  if (decision.policy === "critic") {
    const verdict = await deps.critic({ goal: scope.goal ?? "", tool: tool.name, input: parsed.data, tainted: scope.tainted ?? false });
    deps.criticRecord.note(tool.name, day, verdict.allow);
    if (!verdict.allow) {
      note(`${tool.name} blocked by the critic: ${verdict.reason}`, "blocked", { critic: verdict.reason });
      return _error(`the safety critic blocked this ${tool.name} call: ${verdict.reason}`);
    }
  }
  return executeToolCall(deps, tool, parsed.data, call, scope);
}

/** Runs a call policy has cleared (or the user approved): ledger, tool, journal. */
export async function executeToolCall(deps: Pick<ToolRunDeps, "ledger" | "journal">, tool: Tool, input: unknown, call: ToolCall, scope: TurnScope, extra: Record<string, unknown> = {}): Promise<ToolResult> {
  if (tool.risk === "read") return _runAndJournal(deps, tool, input, call, scope, extra);
  const repeat = deps.ledger.findRepeat(scope.previousTurns, tool.name, input);
  if (repeat) {
    deps.journal.append({ kind: "acted", summary: `${tool.name} not repeated: already ${repeat.state} in interrupted turn ${repeat.turnId}`, data: { turnId: scope.turnId, toolUseId: call.id, tool: tool.name, repeatOf: repeat.id, outcome: "skipped" } });
    return { content: `not repeated: the same ${tool.name} call was already made in an interrupted earlier turn (state: ${repeat.state})`, repeated: true };
  }
  const actionId = deps.ledger.start(scope.turnId, call.id, tool.name, input, scope.now);
  deps.journal.append({ kind: "decided", summary: `intent: ${tool.name}`, data: { turnId: scope.turnId, toolUseId: call.id, actionId, tool: tool.name, input: _clipInput(input), ...extra } });
  const result = await _runAndJournal(deps, tool, input, call, scope, { actionId, ...extra });
  deps.ledger.finish(actionId, result.isError ? "failed" : "done", result.content, new Date());
  return result;
}

async function _requestApproval(deps: ToolRunDeps, tool: Tool, asked: unknown, call: ToolCall, scope: TurnScope, reason: string): Promise<ToolResult> {
  const pinned = await pinToolInput(tool, asked, scope);
  if ("error" in pinned) return _error(pinned.error);
  const input = pinned.data;
  const id = deps.approvals.request({ turnId: scope.turnId, toolUseId: call.id, tool: tool.name, input, reason }, scope.now);
  deps.journal.append({ kind: "decided", summary: `approval #${id} requested: ${tool.name} (${reason})`, data: { turnId: scope.turnId, toolUseId: call.id, tool: tool.name, input: _clipInput(input), approvalId: id, reason } });
  const approval = deps.approvals.get(id)!;
  const announced = deps.announceApproval
    ? deps.announceApproval(approval, scope.tainted ? scope.taintedBy : undefined)
    : deps.notifier.send({ title: `Vigil asks to run ${tool.name}`, body: `${reason}. Review with \`vigil approvals\`; run it with \`vigil approve ${id}\`.`, priority: "high" });
  void announced.catch(() => undefined);
  return { content: `queued for the user's approval as #${id} (${reason}); it runs only if they approve it. Do not retry it.`, deferred: true };
}

/** A journal row keeps a short summary of a result; the whole output is in the turn's transcript. */
export const JOURNAL_RESULT_CHARS = 1000;
const JOURNAL_SUMMARY_CHARS = 300;

async function _runAndJournal(deps: Pick<ToolRunDeps, "journal">, tool: Tool, input: unknown, call: ToolCall, scope: TurnScope, extra: Record<string, unknown>): Promise<ToolResult> {
  const result = await invokeTool(tool, input, scope);
  if (result.quietReason === undefined) {
    const where = "the full output is in the turn's transcript (memory_search)";
    deps.journal.append({
      kind: "acted",
      summary: clipText(`${tool.name}: ${result.isError ? "failed: " : ""}${result.content}`, JOURNAL_SUMMARY_CHARS, where),
      data: { turnId: scope.turnId, toolUseId: call.id, tool: tool.name, input: _clipInput(input), outcome: result.isError ? "error" : "ok", result: clipText(result.content, JOURNAL_RESULT_CHARS, where), tainted: scope.tainted ?? false, ...extra },
    });
  }
  return result;
}

/** A large input (a whole file for write_file) is clipped in the journal the same way. */
function _clipInput(input: unknown): unknown {
  const text = JSON.stringify(input) ?? "";
  return text.length <= JOURNAL_RESULT_CHARS ? input : { clipped: clipText(text, JOURNAL_RESULT_CHARS) };
}

function _error(content: string): ToolResult {
  return { content, isError: true };
}
