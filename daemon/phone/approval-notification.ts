import type { Approval } from "../policy/approvals.js";
import type { Notification, NotificationAction } from "../notify/notifier.js";
import { previewApproval } from "../tools/approval-preview.js";
import { hashApprovalInput, signApprovalToken, type PhoneDecision } from "./approval-token.js";

/** ntfy's limit for a message; a longer one would be cut, so it never carries an Approve button. */
export const NTFY_MESSAGE_LIMIT = 4096;
/**
 * A desktop popup shows far less than a phone's expanded notification (dunst's default box is
 * 300×300 px, GNOME's banner a few lines): the action and its reason must stay within this many
 * bytes and lines there to get an Approve button.
 */
export const DESKTOP_ACTION_LIMIT = { bytes: 500, lines: 10 } as const;

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

/** Approve/Deny on the desktop notification: no token, the daemon's own child hears the press. */
export interface DesktopButtons {
  /** The same `approvals.phone` rule: `TOOL: never` keeps a tool's approvals to the shell and the page. */
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
  /** With desktop approval actions on: what the desktop's copy may offer. */
  desktop?: DesktopButtons | undefined;
}

/** The desktop's copy of an approval notice and the decisions its buttons may make. */
export interface DesktopApprovalOffer {
  approvalId: number;
  title: string;
  body: string;
  /** Approve and Deny, only Deny (the action does not fit), or nothing (the tool is kept off notifications). */
  decisions: PhoneDecision[];
  /** The input the popup shows; a press is for this input only. */
  inputHash: string;
  /** Epoch ms: the expiry the notice shows; the buttons do nothing after it. */
  expiresAt: number;
}

export interface ApprovalNotification extends Notification {
  desktop?: DesktopApprovalOffer;
}

/**
 * The approval as the person sees it away from the shell: the tool, its whole input in readable
 * form (the command and where it runs, the file diff, the comment and its PR), why it waits, and
 * until when. Approve is offered only when all of that fits the notification — never for an
 * action the person could not see in full — and only for tools allowed away from the shell.
 * The same rule makes the phone's buttons and the desktop's, each against its own room.
 */
export function buildApprovalNotification(notice: ApprovalNotice): ApprovalNotification {
  const { approval, buttons, desktop } = notice;
  const shown = _showApproval(notice);
  const allowed = buttons !== undefined || desktop !== undefined ? (buttons?.phone ?? desktop!.phone)[approval.tool] !== "never" : true;
  const where = allowed ? "" : `\n(${approval.tool} is approved only in the shell or on the review page.)`;
  const phoneFits = _fits(shown.full, shown.detail, NTFY_MESSAGE_LIMIT);
  const phone = _phoneNotification(shown, buttons && allowed ? buttons : undefined, phoneFits, where, approval);
  if (!desktop) return phone;
  const desktopFits = phoneFits && _fits(shown.action, shown.detail, DESKTOP_ACTION_LIMIT.bytes, DESKTOP_ACTION_LIMIT.lines);
  const decisions: PhoneDecision[] = !allowed ? [] : desktopFits ? ["approve", "deny"] : ["deny"];
  return {
    ...phone,
    desktop: {
      approvalId: approval.id,
      title: `Vigil asks to approve ${approval.tool} (#${approval.id})`,
      body: (desktopFits ? shown.full : shown.tooLong) + where,
      decisions,
      inputHash: hashApprovalInput(approval.input),
      expiresAt: shown.expiresAt,
    },
  };
}

interface ShownApproval {
  title: string;
  /** The action and why it waits: what must be seen in full before Approve. */
  action: string;
  detail: string;
  full: string;
  tooLong: string;
  expiresAt: number;
}

function _showApproval({ approval, workspace, timeZone, taintedBy, buttons }: ApprovalNotice): ShownApproval {
  const preview = previewApproval(approval, workspace);
  const expiresAt = Math.min(Date.parse(approval.expiresAt), Date.parse(approval.createdAt) + (buttons?.expiresMinutes ?? Infinity) * 60_000);
  const why = `Why: ${approval.reason}${taintedBy ? ` — it came from ${taintedBy}` : ""}`;
  const until = `Expires ${_localTime(expiresAt, timeZone)}.`;
  const shellHint = `Or: vigil approve ${approval.id} / vigil deny ${approval.id}`;
  const action = [preview.title, preview.detail, "", why].join("\n");
  return { title: `Vigil asks: ${preview.title}`.slice(0, 200), action, detail: preview.detail, full: [action, until, shellHint].join("\n"), tooLong: _tooLong(approval, why, until), expiresAt };
}

function _phoneNotification(shown: ShownApproval, buttons: ApprovalButtons | undefined, fits: boolean, where: string, approval: Approval): Notification {
  const { title } = shown;
  if (!buttons) return { title, body: (fits ? shown.full : shown.tooLong) + where, priority: "high" };
  const action = (decision: PhoneDecision, label: string): NotificationAction => ({
    label,
    method: "POST",
    url: `${buttons.server.replace(/\/+$/, "")}/${buttons.replyTopic}`,
    headers: buttons.token ? { Authorization: `Bearer ${buttons.token}` } : {},
    body: signApprovalToken(buttons.key, { id: approval.id, decision, inputHash: hashApprovalInput(approval.input), expiresAt: shown.expiresAt }),
  });
  if (!fits) return { title, body: shown.tooLong, priority: "high", actions: [action("deny", "Deny")] };
  return { title, body: shown.full, priority: "high", actions: [action("approve", "Approve"), action("deny", "Deny")] };
}

/** Within the room (bytes, and lines where a popup has few), and not already cut by the preview. */
function _fits(text: string, detail: string, limit: number, lines = Infinity): boolean {
  return Buffer.byteLength(text) <= limit && text.split("\n").length <= lines && detail.length === _untruncated(detail);
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
