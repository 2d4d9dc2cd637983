import type { Approval } from "../policy/approvals.js";
import type { Notification, NotificationAction } from "../notify/notifier.js";
import { previewApproval } from "../tools/approval-preview.js";
import { hashApprovalInput, signApprovalToken, type PhoneDecision } from "./approval-token.js";

/** ntfy's limit for a message; a longer one would be cut, so it never carries an Approve button. */
export const NTFY_MESSAGE_LIMIT = 4096;

export interface ApprovalButtons {
  /** Where the buttons publish: the ntfy server, the reply topic, and its token if one is set. */
  server: string;
  replyTopic: string;
  token: string | undefined;
  key: Buffer;
  expiresMinutes: number;
  /** `TOOL: never` keeps a tool's approvals off the phone. */
  phone: Readonly<Record<string, string>>;
}

export interface ApprovalNotice {
  approval: Approval;
  workspace: readonly string[];
  timeZone: string;
  /** What tainted the turn, in words ("github/issue_comment.created: octo/app#7 comment by stranger"). */
  taintedBy?: string | undefined;
  /** With phone approvals on: the buttons; without, the notice only shows the action. */
  buttons?: ApprovalButtons | undefined;
}

/**
 * The approval as the person sees it away from the shell: the tool, its whole input in readable
 * form (the command and where it runs, the file diff, the comment and its PR), why it waits, and
 * until when. Approve is offered only when all of that fits the notification — never for an
 * action the person could not see in full — and only for tools allowed on the phone.
 */
export function buildApprovalNotification({ approval, workspace, timeZone, taintedBy, buttons }: ApprovalNotice): Notification {
  const preview = previewApproval(approval, workspace);
  const expiresAt = Math.min(Date.parse(approval.expiresAt), Date.parse(approval.createdAt) + (buttons?.expiresMinutes ?? Infinity) * 60_000);
  const why = `Why: ${approval.reason}${taintedBy ? ` — it came from ${taintedBy}` : ""}`;
  const until = `Expires ${_localTime(expiresAt, timeZone)}.`;
  const title = `Vigil asks: ${preview.title}`.slice(0, 200);
  const shellHint = `Or: vigil approve ${approval.id} / vigil deny ${approval.id}`;
  const full = [preview.title, preview.detail, "", why, until, shellHint].join("\n");
  const phoneAllowed = buttons !== undefined && buttons.phone[approval.tool] !== "never";
  const fits = Buffer.byteLength(full) <= NTFY_MESSAGE_LIMIT && preview.detail.length === _untruncated(preview.detail);
  if (!buttons || !phoneAllowed) {
    const where = buttons && !phoneAllowed ? `\n(${approval.tool} is approved only in the shell or on the review page.)` : "";
    return { title, body: fits ? full + where : _tooLong(approval, why, until) + where, priority: "high" };
  }
  const action = (decision: PhoneDecision, label: string): NotificationAction => ({
    label,
    method: "POST",
    url: `${buttons.server.replace(/\/+$/, "")}/${buttons.replyTopic}`,
    headers: buttons.token ? { Authorization: `Bearer ${buttons.token}` } : {},
    body: signApprovalToken(buttons.key, { id: approval.id, decision, inputHash: hashApprovalInput(approval.input), expiresAt }),
  });
  if (!fits) return { title, body: _tooLong(approval, why, until), priority: "high", actions: [action("deny", "Deny")] };
  return { title, body: full, priority: "high", actions: [action("approve", "Approve"), action("deny", "Deny")] };
}

function _tooLong(approval: Approval, why: string, until: string): string {
  return [`${approval.tool}: the whole action does not fit a notification, so it cannot be approved from here.`, `Open it with \`vigil approvals\` or on the review page (vigil open).`, "", why, until].join("\n");
}

/** The preview cuts very long details itself; a cut one must not be approvable either. */
function _untruncated(detail: string): number {
  return /\n… \(\d+ more characters\)$/.test(detail) ? -1 : detail.length;
}

function _localTime(epochMs: number, timeZone: string): string {
  return `${new Intl.DateTimeFormat("sv-SE", { timeZone, dateStyle: "short", timeStyle: "short" }).format(new Date(epochMs))} (${timeZone})`;
}
