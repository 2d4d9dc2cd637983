import type { DesktopActions } from "../notify/desktop-actions.js";
import type { ApprovalQueue } from "../policy/approvals.js";
import { approvalNoticeKey } from "./announce-approval.js";

/**
 * A tick job: an approval decided anywhere else (`vigil approve`, the page, the phone, another
 * popup) takes its desktop notification off the screen, so no button is left that can only say
 * "already decided". Another process decides through the database, so each tick looks there.
 */
export function closeDecidedApprovalNotices(desktop: DesktopActions, approvals: Pick<ApprovalQueue, "get">): (now: Date) => Promise<void> {
  return async () => {
    for (const key of desktop.openKeys()) {
      const id = Number(/^approval:(\d+)$/.exec(key)?.[1]);
      if (Number.isInteger(id) && key === approvalNoticeKey(id) && approvals.get(id)?.state !== "pending") desktop.close(key);
    }
  };
}
