import { queryEntries } from "../../logs/query-entries.js";
import type { VigilDatabase } from "../store/open-database.js";

export interface ApprovalDecision {
  approvalId: number;
  tool: string;
  decision: "approved" | "denied";
  /** Where the person decided: `cli`, `page` or `phone`. */
  by: string;
  ts: string;
}

/** The day's approval decisions and where each came from, from the rows the one decision path journals. */
export function listApprovalDecisions(db: VigilDatabase, day: string): ApprovalDecision[] {
  return queryEntries(db, { day })
    .filter((entry) => typeof entry.data.approvalId === "number" && typeof entry.data.by === "string" && (entry.data.decision === "approved" || entry.data.outcome === "denied"))
    .map((entry) => ({ approvalId: entry.data.approvalId as number, tool: String(entry.data.tool), decision: entry.data.decision === "approved" ? "approved" : "denied", by: entry.data.by as string, ts: entry.ts }));
}
