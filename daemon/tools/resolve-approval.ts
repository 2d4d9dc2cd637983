import type { Approval } from "../policy/approvals.js";
import { executeToolCall, type ToolRunDeps } from "./run-tool-call.js";
import type { Tool, ToolResult } from "../toolkit/tool.js";

/** Where the user said yes or no: the shell (`vigil approve`), the review page, the phone (ntfy), the desktop notification's buttons. */
export type ApprovalChannel = "cli" | "page" | "phone" | "desktop";

export type ApprovalOutcome =
  | { ok: true; approval: Approval; result?: ToolResult }
  | { ok: false; state: string };

export interface ApprovalRequestContext {
  now: Date;
  timeZone: string;
  by: ApprovalChannel;
  /** Finds the tool, starting what it needs (an MCP tool's server); default: the registry as it is. */
  findTool?: (name: string) => Promise<Tool | undefined>;
}

/**
 * Runs a waiting call the user approved, exactly once. The state change is the claim: a second
 * approve (another click, the shell and the page at once) finds it no longer pending and runs
 * nothing. The journal says who approved, and the call runs through the same ledger as a turn's.
 */
export async function approveCall(deps: ToolRunDeps, id: number, context: ApprovalRequestContext): Promise<ApprovalOutcome> {
  const approval = deps.approvals.get(id);
  if (!approval || !deps.approvals.decide(id, "approved", context.now)) return _notDecided(deps, id);
  const tool = await (context.findTool ?? (async (name: string) => deps.registry.get(name)))(approval.tool);
  if (!tool) {
    const content = "the tool is not available now (is its MCP server configured and working? see vigil mcp list)";
    deps.approvals.finish(id, "failed", content);
    return { ok: true, approval, result: { content, isError: true } };
  }
  const input = JSON.parse(approval.input) as unknown;
  deps.journal.append({ kind: "decided", summary: `approval #${id} approved by the user (${describeApprovalChannel(context.by)}): ${tool.name}`, data: { approvalId: id, tool: tool.name, decision: "approved", by: context.by } });
  const scope = { turnId: `approval-${id}`, now: context.now, timeZone: context.timeZone, previousTurns: [] };
  const result = await executeToolCall(deps, tool, input, { id: approval.toolUseId, name: tool.name, input }, scope, { approvalId: id, approvedBy: context.by });
  deps.approvals.finish(id, result.isError ? "failed" : "done", result.content);
  return { ok: true, approval, result: { ...result, content: deps.redact(result.content) } };
}

/** Refuses a waiting call, once; the journal says who refused it. */
export function denyCall(deps: Pick<ToolRunDeps, "approvals" | "journal">, id: number, context: Pick<ApprovalRequestContext, "now" | "by">): ApprovalOutcome {
  const approval = deps.approvals.get(id);
  if (!approval || !deps.approvals.decide(id, "denied", context.now)) return _notDecided(deps, id);
  deps.journal.append({ kind: "acted", summary: `${approval.tool} denied by the user (approval #${id}, ${describeApprovalChannel(context.by)})`, data: { approvalId: id, tool: approval.tool, outcome: "denied", by: context.by } });
  return { ok: true, approval };
}

/**
 * The state as it is now, read after the refused decision: another process (a second `vigil
 * approve`, the phone) may have decided between our first read and our update.
 */
function _notDecided(deps: Pick<ToolRunDeps, "approvals">, id: number): ApprovalOutcome {
  return { ok: false, state: deps.approvals.get(id)?.state ?? "unknown" };
}

/** Where a decision was made, in words ("from the phone"); an unknown channel is named as it is. */
export function describeApprovalChannel(by: string): string {
  return ({ cli: "in the shell", page: "on the review page", phone: "from the phone", desktop: "on the desktop" } as Record<string, string>)[by] ?? by;
}
