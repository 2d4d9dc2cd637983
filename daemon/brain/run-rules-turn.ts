import { randomUUID } from "node:crypto";
import type { RawConfig } from "../config/config-schema.js";
import type { QueuedEvent } from "../events/event-queue.js";
import { runToolCall } from "../tools/run-tool-call.js";
import type { TurnDeps, TurnOutcome } from "./turn-deps.js";
import { claimBatchIn } from "../events/claim-batch.js";
import { startTurnRecordIn } from "./turn-record.js";

type Rule = RawConfig["rules"][number];

/**
 * The `rules` provider, the default with no API key: config rules turn matching events into tool
 * calls (through the same policy and ledger as a model's calls); everything else stays in the
 * journal for the morning review.
 */
export async function runRulesTurn(deps: TurnDeps, reason: string): Promise<TurnOutcome> {
  const turn = await startTurnRecordIn(deps.store, deps, randomUUID(), reason);
  const events = await deps.store.transaction((tx) => claimBatchIn(tx, turn.id, undefined, deps.now()));
  const scope = { turnId: turn.id, now: deps.now(), timeZone: deps.timeZone, previousTurns: [...new Set(events.flatMap((e) => e.previousTurns))], tainted: events.some((e) => e.trust === "untrusted") };
  let notified = 0;
  for (const event of events) {
    const index = deps.config.rules.findIndex((rule) => matchesRule(rule, event));
    if (index === -1) continue;
    const input = { title: `${event.source}: ${event.type}`, body: event.summary.slice(0, 2000) };
    const result = await runToolCall(deps.toolDeps, { id: `rule${index}-event${event.id}`, name: "notify", input }, scope);
    if (!result.isError) notified++;
  }
  const left = events.length - notified;
  if (notified === 0) {
    await turn.finish("quiet", `no model configured (rules provider): ${left} event(s) left for review`, { provider: "rules" });
    return { outcome: "quiet", turnId: turn.id, events: events.length };
  }
  await turn.finish("decided", `rules: ${notified} notification(s); ${left} event(s) left for review`, { provider: "rules", actions: Array(notified).fill("notify") });
  return { outcome: "acted", turnId: turn.id, events: events.length };
}

export function matchesRule(rule: Rule, event: Pick<QueuedEvent, "source" | "type">): boolean {
  if (rule.when.source && rule.when.source !== event.source) return false;
  if (rule.when.event && rule.when.event !== event.type) return false;
  return true;
}
