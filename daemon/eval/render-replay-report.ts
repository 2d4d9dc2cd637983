import { totalTokens } from "../brain/usage-ledger.js";
import type { ReplayedWake } from "./replay-day.js";
import { actingTools } from "./judge-scenario.js";
import { renderTable } from "./render-table.js";

/** One row per wake: what it decided then, what it decides now, and whether they differ. */
export function renderReplayReport(day: string, wakes: readonly ReplayedWake[], model: string): string {
  if (wakes.length === 0) return `No wakes came to a decision on ${day}: nothing to replay.`;
  const rows = wakes.map(({ was, now, differs }) => [
    was.startedAt.slice(11, 16),
    _clip(was.reason, 28),
    String(was.events.length),
    `${was.decided}${was.actions.length ? `: ${was.actions.join(",")}` : ""}`,
    `${now.decided}${actingTools(now).length ? `: ${actingTools(now).join(",")}` : ""}`,
    differs ? "DIFFERS" : "same",
  ]);
  const differing = wakes.filter((wake) => wake.differs);
  const details = differing.map(({ was, now }) => `  ${was.startedAt} (turn ${was.turnId.slice(0, 8)}): then "${_clip(was.summary, 80)}"; now "${_clip(now.summary, 80)}"`);
  const tokens = wakes.reduce((sum, wake) => sum + totalTokens(wake.now.usage), 0);
  const cost = wakes.reduce((sum, wake) => sum + wake.now.costUsd, 0);
  return [
    renderTable(["time (UTC)", "reason", "events", "then", "now", "same?"], rows),
    "",
    ...(details.length ? ["Where they differ:", ...details, ""] : []),
    `Replayed ${wakes.length} wake(s) of ${day} with ${model}: ${differing.length} differ.`,
    `Tokens: ${tokens.toLocaleString("en-US")}; cost $${cost.toFixed(4)}.`,
  ].join("\n");
}

function _clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
