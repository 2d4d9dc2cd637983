import { describeApprovalChannel } from "../tools/resolve-approval.js";
import { listApprovalDecisions, type ApprovalDecision } from "./approval-decisions.js";
import type { RawConfig } from "../config/config-schema.js";
import type { UsageLedger, TokenUsage } from "../brain/usage-ledger.js";
import { totalTokens } from "../brain/usage-ledger.js";
import type { VigilDatabase } from "../store/open-database.js";
import { createApprovalQueue } from "../policy/approvals.js";
import { dailyMarkdownPath } from "../../logs/daily-markdown.js";
import type { JournalEntry } from "../../logs/journal-entry.js";
import { queryEntries } from "../../logs/query-entries.js";
import { localDateParts } from "../../logs/local-day.js";
import { listDecisions, listUserMessages, type ReviewDecision, type ReviewMessage } from "./review-messages.js";
import { existsSync } from "node:fs";

type Prices = RawConfig["review"]["prices"];

export interface ReviewDigest {
  days: string[];
  wakes: number;
  quiet: number;
  /** Every turn's end, with the why. */
  decisions: ReviewDecision[];
  /** Your messages, each marked handled or not. */
  messages: ReviewMessage[];
  actions: Array<{ ts: string; tool: string; outcome: string; summary: string; link: string | null }>;
  errors: Array<{ ts: string; summary: string }>;
  /** Events from people and GitHub (not the clock or file saves), which a person may want to see. */
  notable: Array<{ ts: string; summary: string }>;
  events: number;
  tokens: TokenUsage & { total: number };
  /** Estimated from the price table; models without a price are listed in `unpriced`. */
  costUsd: number;
  unpriced: string[];
  dreams: Array<{ ts: string; summary: string }>;
  /** Each task that moved on these days, at its latest state (from its `task` journal rows). */
  tasks: Array<{ id: number; state: string; ts: string; summary: string }>;
  approvalsWaiting: Array<{ id: number; tool: string; reason: string }>;
  /** Approvals decided on these days, and where: the shell, the review page, the phone. */
  approvalsDecided: ApprovalDecision[];
  /** Events set aside after failing turn after turn (quarantined): they will not be retried. */
  setAside: Array<{ ts: string; summary: string }>;
  /** Notifications held during quiet hours (delivered later as one digest). */
  held: Array<{ ts: string; summary: string }>;
  /** Memory learned from outside text, fenced as data until the user trusts it. */
  untrustedMemory: Array<{ topic: string; title: string }>;
  logs: string[];
}

export interface ReviewExtras {
  untrustedMemory?: ReviewDigest["untrustedMemory"];
}

const URL_PATTERN = /https?:\/\/\S+/;

/** The morning digest of some days, from the journal and the usage table. */
export function buildReviewDigest(deps: { db: VigilDatabase; usage: UsageLedger; prices: Prices; logsDir: string; now: Date }, days: readonly string[], extras: ReviewExtras = {}): ReviewDigest {
  const entries = days.flatMap((day) => queryEntries(deps.db, { day }));
  const ofKind = (kind: JournalEntry["kind"]) => entries.filter((entry) => entry.kind === kind);
  const turnEnds = entries.filter((entry) => (entry.kind === "quiet" || entry.kind === "decided") && "reason" in entry.data);
  const usage = deps.usage.byModel(days);
  const tokens = usage.reduce((sum, row) => ({ calls: sum.calls + row.calls, input: sum.input + row.input, output: sum.output + row.output, cacheRead: sum.cacheRead + row.cacheRead, cacheWrite: sum.cacheWrite + row.cacheWrite }), { calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
  const priced = usage.filter((row) => deps.prices[row.model]);
  return {
    days: [...days],
    wakes: turnEnds.length,
    quiet: turnEnds.filter((entry) => entry.kind === "quiet").length,
    decisions: listDecisions(entries),
    messages: listUserMessages(deps.db, entries),
    actions: ofKind("acted").map((entry) => ({
      ts: entry.ts,
      tool: String(entry.data.tool ?? "?"),
      outcome: String(entry.data.outcome ?? "?"),
      summary: entry.summary,
      link: URL_PATTERN.exec(String(entry.data.result ?? ""))?.[0] ?? null,
    })),
    errors: ofKind("error").filter((entry) => entry.data.event !== "event-quarantined").map(({ ts, summary }) => ({ ts, summary })),
    setAside: ofKind("error").filter((entry) => entry.data.event === "event-quarantined").map(({ ts, summary }) => ({ ts, summary })),
    held: ofKind("system").filter((entry) => entry.data.event === "notification-held-quiet").map(({ ts, summary }) => ({ ts, summary })),
    untrustedMemory: extras.untrustedMemory ?? [],
    notable: ofKind("noticed")
      .filter((entry) => entry.data.source === "github" || entry.data.source === "user")
      .map(({ ts, summary }) => ({ ts, summary })),
    events: ofKind("noticed").length,
    tokens: { ...tokens, total: totalTokens(tokens) },
    costUsd: priced.reduce((sum, row) => sum + estimateCostUsd(row, deps.prices[row.model]!), 0),
    unpriced: usage.filter((row) => !deps.prices[row.model]).map((row) => row.model),
    dreams: ofKind("dream").map(({ ts, summary }) => ({ ts, summary })),
    tasks: _latestPerTask(ofKind("task")),
    approvalsWaiting: createApprovalQueue(deps.db).pending(deps.now).map(({ id, tool, reason }) => ({ id, tool, reason })),
    approvalsDecided: days.flatMap((day) => listApprovalDecisions(deps.db, day)),
    // Only days whose log file is there: a link to nothing helps nobody.
    logs: days.map((day) => dailyMarkdownPath(deps.logsDir, day)).filter((file) => existsSync(file)),
  };
}

function _latestPerTask(rows: JournalEntry[]): ReviewDigest["tasks"] {
  const latest = new Map<number, ReviewDigest["tasks"][number]>();
  for (const row of rows) {
    if (typeof row.data.taskId !== "number" || typeof row.data.to !== "string") continue;
    latest.set(row.data.taskId, { id: row.data.taskId, state: row.data.to, ts: row.ts, summary: row.summary });
  }
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

/** US$ for some tokens at a model's list prices (per million tokens). */
export function estimateCostUsd(usage: Omit<TokenUsage, "calls">, price: Prices[string]): number {
  return (usage.input * price.input + usage.output * price.output + usage.cacheWrite * price.cacheWrite + usage.cacheRead * price.cacheRead) / 1e6;
}

/** The digest as a person reads it over coffee; times in `timeZone`, multi-line text indented under its item. */
export function renderReviewDigest(digest: ReviewDigest, timeZone = "UTC"): string {
  const at = (ts: string) => localDateParts(new Date(ts), timeZone).time.slice(0, 5);
  const lines = [
    `Vigil review — ${digest.days.join(", ")}`,
    "",
    `${digest.wakes} wake(s), ${digest.quiet} stayed quiet; ${digest.events} event(s) noticed; ${digest.actions.length} action(s); ${digest.errors.length} error(s).`,
    `Tokens: ${digest.tokens.total.toLocaleString("en-US")} in ${digest.tokens.calls} call(s) (fresh ${digest.tokens.input}, cache write ${digest.tokens.cacheWrite}, cache read ${digest.tokens.cacheRead}, output ${digest.tokens.output}); estimated cost $${digest.costUsd.toFixed(4)}${digest.unpriced.length ? ` (no price for ${digest.unpriced.join(", ")})` : ""}.`,
  ];
  const section = (title: string, items: string[]) => (items.length ? lines.push("", `${title}:`, ...items.map((item) => `- ${item.replace(/\n/g, "\n  ")}`)) : 0);
  section("Your messages", digest.messages.map((message) => `${at(message.ts)} "${message.text}" — ${message.outcome}`));
  section("Decisions", digest.decisions.map((decision) => `${at(decision.ts)} ${decision.kind === "quiet" ? "stayed quiet" : `acted (${decision.actions.join(", ")})`}: ${decision.summary} (woke for: ${decision.wake})`));
  section("Actions", digest.actions.map((action) => `${at(action.ts)} ${action.summary} [${action.outcome}]${action.link ? ` ${action.link}` : ""}`));
  section("Waiting for your approval", digest.approvalsWaiting.map((item) => `#${item.id} ${item.tool}: ${item.reason} (vigil approve ${item.id})`));
  section("Errors", digest.errors.map((error) => `${at(error.ts)} ${error.summary}`));
  section("Set aside (quarantined events, not retried)", digest.setAside.map((item) => `${at(item.ts)} ${item.summary}`));
  section("Held during quiet hours", digest.held.map((item) => `${at(item.ts)} ${item.summary}`));
  section("Memory to check (learned from outside text; fenced as data until you trust it)", digest.untrustedMemory.map((item) => `${item.title} (${item.topic}): vigil memory trust ${item.topic}`));
  section("For you", digest.notable.slice(0, 20).map((item) => `${at(item.ts)} ${item.summary}`));
  section("Approvals decided", digest.approvalsDecided.map((item) => `${at(item.ts)} #${item.approvalId} ${item.tool} ${item.decision} ${describeApprovalChannel(item.by)}`));
  section("Tasks", digest.tasks.map((task) => `#${task.id} ${task.state}: ${task.summary} (vigil task show ${task.id})`));
  section("Memory (dreams)", digest.dreams.map((dream) => dream.summary));
  lines.push("", digest.logs.length ? `Full log: ${digest.logs.join(", ")}` : "No daily log file for these days.");
  return lines.join("\n");
}
