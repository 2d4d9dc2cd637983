import type { Logger } from "../logger/create-logger.js";
import type { DesktopActions } from "../notify/desktop-actions.js";
import type { Notifier, NotifyResult } from "../notify/notifier.js";
import { applyButtonDecision, type ButtonDecisionDeps } from "./apply-button-decision.js";
import type { ApprovalNotification } from "./approval-notification.js";
import type { PhoneDecision } from "./approval-token.js";

export interface AnnounceApprovalDeps {
  notifier: Notifier;
  /** Buttons on the desktop notification; undefined when off or the platform has none. */
  desktop: DesktopActions | undefined;
  /** Quiet hours: the notice waits for the digest like every other, so no popup with buttons either. */
  isQuiet: (now: Date) => boolean;
  /** ntfy has a topic: the phone gets its copy as well. */
  hasPhone: boolean;
  /** How a desktop press is decided; its confirmation goes to the desktop. */
  decide: Omit<ButtonDecisionDeps, "confirm">;
  logger: Pick<Logger, "error">;
}

const LABELS: Record<PhoneDecision, string> = { approve: "Approve", deny: "Deny" };

/** The desktop notification's key for an approval (see close-decided-approval-notices.ts). */
export function approvalNoticeKey(approvalId: number): string {
  return `approval:${approvalId}`;
}

/**
 * Tells the person about a new approval wherever they are. An approval is the moment Vigil needs
 * them, so with desktop buttons on it goes to the desktop (with Approve/Deny) and to the phone at
 * once, rather than to the first channel that takes it; a press on either goes through the one
 * decision. When the desktop does not take it, the usual chain does as before.
 */
export async function announceApproval(deps: AnnounceApprovalDeps, notice: ApprovalNotification): Promise<NotifyResult> {
  const offer = notice.desktop;
  const { desktop: _omit, ...plain } = notice;
  if (!deps.desktop || !offer || offer.decisions.length === 0 || deps.isQuiet(deps.decide.now())) return deps.notifier.send(plain);
  const phone = deps.hasPhone ? deps.notifier.send({ ...plain, channels: ["ntfy"] }) : undefined;
  const decideDeps: ButtonDecisionDeps = { ...deps.decide, confirm: (confirmation) => deps.notifier.send({ ...confirmation, channels: ["desktop"] }) };
  const shown = await deps.desktop.show(
    {
      title: offer.title,
      body: offer.body,
      choices: offer.decisions.map((decision) => ({ name: decision, label: LABELS[decision] })),
      expiresAt: offer.expiresAt,
      key: approvalNoticeKey(offer.approvalId),
    },
    (name) =>
      void applyButtonDecision(decideDeps, "desktop", { id: offer.approvalId, decision: name as PhoneDecision, inputHash: offer.inputHash, expiresAt: offer.expiresAt }).catch((error: Error) =>
        deps.logger.error({ err: error, approvalId: offer.approvalId }, "applying a desktop approval press failed"),
      ),
  );
  const phoneResult = await phone;
  if (shown) return { delivered: ["desktop", ...(phoneResult?.delivered ?? [])], failures: phoneResult?.failures ?? [] };
  if (phoneResult?.delivered.length) return phoneResult;
  return deps.notifier.send(deps.hasPhone ? { ...plain, channels: ["desktop"] } : plain);
}
