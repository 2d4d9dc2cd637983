import type { Journal } from "../../logs/journal.js";
import type { RawConfig } from "../config/config-schema.js";
import type { ActionLedger } from "./action-ledger.js";
import type { ToolRegistry } from "./tool-registry.js";
import { ToolError, type RiskClass, type ToolCallContext, type ToolResult } from "./tool.js";

/** Safe defaults per risk class, used where `tools.policy` names no policy for the tool. */
export const DEFAULT_POLICY: Record<RiskClass, "auto" | "critic" | "ask" | "deny"> = {
  read: "auto",
  notify: "auto",
  write: "ask",
  external: "ask",
  exec: "critic",
};

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
}

export interface TurnScope extends ToolCallContext {
  /** Turns that claimed this turn's events before and died; their actions are not repeated. */
  previousTurns: readonly string[];
}

/**
 * Runs one tool call from the model and always returns a result for it: an unknown tool, bad
 * input, a refusal or a failure becomes a tool error the model can read, never an exception.
 * A tool with effects outside Vigil is written to the action ledger before it runs.
 */
export async function runToolCall(deps: ToolRunDeps, call: ToolCall, scope: TurnScope): Promise<ToolResult> {
  const tool = deps.registry.get(call.name);
  if (!tool) return _error(`unknown tool "${call.name}"; the tools are: ${deps.registry.names().join(", ")}`);
  const parsed = tool.input.safeParse(call.input);
  if (!parsed.success) {
    return _error(`invalid input for ${call.name}: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ")}`);
  }
  const policy = deps.policy[tool.name] ?? DEFAULT_POLICY[tool.risk];
  if (policy !== "auto") {
    // Approvals and the critic are not built yet: anything but `auto` fails closed.
    deps.journal.append({ kind: "acted", summary: `${tool.name} refused by policy ${policy}`, data: { turnId: scope.turnId, toolUseId: call.id, tool: tool.name, policy, outcome: "refused" } });
    return _error(`${tool.name} is not allowed to run automatically (policy: ${policy})`);
  }
  if (tool.risk === "read") return _runAndJournal(deps, tool.name, () => tool.run(parsed.data, scope), call, scope);

  const repeat = deps.ledger.findRepeat(scope.previousTurns, tool.name, parsed.data);
  if (repeat) {
    deps.journal.append({ kind: "acted", summary: `${tool.name} not repeated: already ${repeat.state} in interrupted turn ${repeat.turnId}`, data: { turnId: scope.turnId, toolUseId: call.id, tool: tool.name, repeatOf: repeat.id, outcome: "skipped" } });
    return { content: `not repeated: the same ${tool.name} call was already made in an interrupted earlier turn (state: ${repeat.state})`, repeated: true };
  }
  const actionId = deps.ledger.start(scope.turnId, call.id, tool.name, parsed.data, scope.now);
  deps.journal.append({ kind: "decided", summary: `intent: ${tool.name}`, data: { turnId: scope.turnId, toolUseId: call.id, actionId, tool: tool.name, input: parsed.data } });
  const result = await _runAndJournal(deps, tool.name, () => tool.run(parsed.data, scope), call, scope, actionId);
  deps.ledger.finish(actionId, result.isError ? "failed" : "done", result.content, new Date());
  return result;
}

async function _runAndJournal(
  deps: ToolRunDeps,
  name: string,
  run: () => ToolResult | Promise<ToolResult>,
  call: ToolCall,
  scope: TurnScope,
  actionId?: string,
): Promise<ToolResult> {
  let result: ToolResult;
  try {
    result = await run();
  } catch (error) {
    result = _error(error instanceof ToolError ? error.message : `${name} failed: ${(error as Error).message}`);
  }
  if (result.quietReason === undefined) {
    deps.journal.append({
      kind: "acted",
      summary: `${name}: ${result.isError ? "failed: " : ""}${result.content}`,
      data: { turnId: scope.turnId, toolUseId: call.id, actionId, tool: name, input: call.input, outcome: result.isError ? "error" : "ok", result: result.content },
    });
  }
  return result;
}

function _error(content: string): ToolResult {
  return { content, isError: true };
}
