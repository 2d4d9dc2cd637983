import type { Journal } from "../../logs/journal.js";
import type { Notification } from "../notify/notifier.js";
import { approveCall, denyCall } from "../tools/resolve-approval.js";
import type { ToolRunDeps } from "../tools/run-tool-call.js";
import { hashApprovalInput, type ApprovalTokenClaims } from "./approval-token.js";

/** A notification's button: on the phone (through ntfy, signed) or on the desktop (the daemon's own child heard it). */
export type ButtonChannel = "phone" | "desktop";

export interface ButtonDecisionDeps {
  toolDeps: ToolRunDeps;
  journal: Journal;
  /** The short confirmation, sent where the press was made. */
  confirm: (notification: Notification) => Promise<unknown>;
  /** `TOOL: never` (notify.ntfy.approvals.phone): no button decides that tool's approvals. */
  phone: Readonly<Record<string, string>>;
  now: () => Date;
  timeZone: string;
}

/**
 * A press of Approve or Deny on a notification, for the approval, input and expiry it showed. It
 * is applied only when it is unexpired, for this approval's exact input, the tool may be decided
 * away from the shell, and the approval still waits — through the same one-time decision as the
 * shell and the page, so two presses (phone and desktop, or a press and `vigil approve`) run the
 * action once. Anything else changes nothing and is journaled as refused. Either way the place
 * of the press gets a short confirmation.
 */
export async function applyButtonDecision(deps: ButtonDecisionDeps, channel: ButtonChannel, claims: ApprovalTokenClaims | { refused: string }): Promise<"approved" | "denied" | "refused"> {
  const refuse = async (approvalId: number | null, why: string) => {
    deps.journal.append({ kind: "system", summary: `${channel} decision refused${approvalId ? ` for approval #${approvalId}` : ""}: ${why}`, data: { event: `${channel}-decision-refused`, approvalId, reason: why } });
    await deps.confirm({ title: "Vigil: not applied", body: `not applied: ${why}`, priority: "low" }).catch(() => undefined);
    return "refused" as const;
  };
  if ("refused" in claims) return refuse(null, claims.refused);
  const approval = deps.toolDeps.approvals.get(claims.id);
  if (!approval) return refuse(claims.id, "no such approval");
  if (claims.expiresAt <= deps.now().getTime()) return refuse(claims.id, "expired");
  if (claims.inputHash !== hashApprovalInput(approval.input)) return refuse(claims.id, "the action is not the one shown");
  if (deps.phone[approval.tool] === "never") return refuse(claims.id, `${approval.tool} is approved only in the shell or on the review page`);
  if (approval.state !== "pending") return refuse(claims.id, `already ${approval.state}`);
  const context = { now: deps.now(), timeZone: deps.timeZone, by: channel };
  const outcome = claims.decision === "approve" ? await approveCall(deps.toolDeps, claims.id, context) : denyCall(deps.toolDeps, claims.id, context);
  if (!outcome.ok) return refuse(claims.id, `already ${outcome.state}`);
  const what = `${approval.tool} ${_short(approval.input)}`;
  const body = claims.decision === "approve" ? `approved: ${what}${outcome.result?.isError ? ` — it failed: ${_short(outcome.result.content)}` : ""}` : `denied: ${what}`;
  await deps.confirm({ title: "Vigil", body, priority: "low" }).catch(() => undefined);
  return claims.decision === "approve" ? "approved" : "denied";
}

function _short(text: string): string {
  const input = text.startsWith("{") ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  const shown = typeof input?.command === "string" ? input.command : typeof input?.path === "string" ? input.path : text;
  return shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
}
