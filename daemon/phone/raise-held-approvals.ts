import type { Journal } from "../../logs/journal.js";
import type { Approval, ApprovalQueue } from "../policy/approvals.js";
import type { DaemonState } from "../state/daemon-state.js";

/** Approvals asked for during quiet hours, whose notice (and its buttons) went to the digest. */
const HELD_APPROVALS_KEY = "approvalsHeldQuiet";

/** Remembers, across a restart, that an approval's announcement was held for quiet hours. */
export function noteHeldApproval(state: DaemonState, id: number): void {
  const held = state.get<number[]>(HELD_APPROVALS_KEY) ?? [];
  if (!held.includes(id)) state.set(HELD_APPROVALS_KEY, [...held, id]);
}

export interface RaiseHeldApprovalsDeps {
  state: DaemonState;
  approvals: Pick<ApprovalQueue, "get">;
  journal: Journal;
  isQuiet: (now: Date) => boolean;
  /** Announces it as when it was asked for: the desktop's and the phone's Approve/Deny. */
  announce: (approval: Approval) => Promise<unknown>;
}

/**
 * A tick job: once quiet hours are over, each approval still waiting from the night is announced
 * again, with its buttons. The digest only lists it, and a button is what lets the person decide
 * from the phone over breakfast. Decided, expired or gone by then, it is left alone.
 */
export function raiseHeldApprovals({ state, approvals, journal, isQuiet, announce }: RaiseHeldApprovalsDeps): (now: Date) => Promise<void> {
  return async (now) => {
    const held = state.get<number[]>(HELD_APPROVALS_KEY);
    if (!held?.length || isQuiet(now)) return;
    state.delete(HELD_APPROVALS_KEY);
    for (const id of held) {
      const approval = approvals.get(id);
      if (approval?.state !== "pending" || Date.parse(approval.expiresAt) <= now.getTime()) continue;
      journal.append({ kind: "system", summary: `approval #${id} announced again after quiet hours: ${approval.tool}`, data: { event: "approval-raised", approvalId: id } });
      await announce(approval);
    }
  };
}
