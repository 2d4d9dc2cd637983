import type { Journal } from "../../logs/journal.js";
import type { Notifier } from "../notify/notifier.js";
import type { ToolRunDeps } from "../tools/run-tool-call.js";
import { applyButtonDecision } from "./apply-button-decision.js";
import { verifyApprovalToken } from "./approval-token.js";

export interface PhoneDecisionDeps {
  toolDeps: ToolRunDeps;
  journal: Journal;
  notifier: Notifier;
  key: Buffer;
  phone: Readonly<Record<string, string>>;
  now: () => Date;
  timeZone: string;
}

/**
 * A button press from the phone, arriving as a message on the reply topic: a genuine token's
 * claims go through the one decision every button shares (applyButtonDecision); a replayed,
 * forged or altered one changes nothing and is journaled as refused. Either way the phone gets a
 * short confirmation.
 */
export async function applyPhoneDecision(deps: PhoneDecisionDeps, token: string): Promise<"approved" | "denied" | "refused"> {
  const confirm = (notification: Parameters<Notifier["send"]>[0]) => deps.notifier.send(notification);
  return applyButtonDecision({ ...deps, confirm }, "phone", verifyApprovalToken(deps.key, token));
}
