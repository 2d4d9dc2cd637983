import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { queryEntries } from "../../logs/query-entries.js";
import { localDay } from "../../logs/local-day.js";
import { buildReviewDigest, renderReviewDigest } from "../review/review-digest.js";
import { searchRecall } from "../../memory/search-recall.js";
import { createUsageLedger } from "../brain/usage-ledger.js";
import type { VigilContext } from "../context/open-context.js";
import { noticeEvent } from "../events/notice-event.js";
import { createApprovalQueue } from "../policy/approvals.js";
import { createTaskStore } from "../tasks/task-store.js";
import { VERSION } from "../version.js";

const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] });

/**
 * Vigil as an MCP server over stdio, for another agent (an editor's, a CLI agent): it may tell
 * Vigil something and read the journal, memory, the review, the tasks and what waits for approval. It can
 * approve nothing — approvals stay with the person — and what it tells is another agent's word,
 * not the user's, so it arrives as untrusted (a turn acting on it needs approval to write).
 */
export async function serveVigilMcp(ctx: VigilContext, transport = new StdioServerTransport()): Promise<void> {
  const server = new McpServer({ name: "vigil", version: VERSION });
  server.registerTool("tell", { description: "Queue a message for Vigil; it looks at it on its next heartbeat.", inputSchema: { text: z.string().min(1).max(4000) } }, async ({ text: message }) => {
    const queued = noticeEvent(ctx, { source: "user", type: "agent", trust: "untrusted", summary: `(via MCP) ${message}`, payload: { text: message, via: "mcp" } });
    return text(`queued as event #${queued.id}`);
  });
  server.registerTool("search", { description: "Ranked snippets from Vigil's journal and past turns (full-text).", inputSchema: { query: z.string().min(1) } }, async ({ query }) => {
    const hits = searchRecall(ctx.db, query);
    return text(hits.length ? hits.map((hit) => `[${hit.source} ${hit.ref}] ${hit.snippet}`).join("\n") : "no matches");
  });
  server.registerTool("journal", { description: "Journal rows of a day (YYYY-MM-DD, default today), newest last.", inputSchema: { day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), limit: z.number().int().positive().max(500).optional() } }, async ({ day, limit }) => {
    const rows = queryEntries(ctx.db, { day: day ?? localDay(ctx.now(), ctx.loaded.timezone) });
    return text(rows.slice(-(limit ?? 100)).map((row) => `#${row.seq} ${row.ts} ${row.kind}: ${row.summary}`).join("\n") || "(no rows)");
  });
  server.registerTool("review", { description: "The morning digest of a day (default today).", inputSchema: { day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() } }, async ({ day }) => {
    const digest = buildReviewDigest({ db: ctx.db, usage: createUsageLedger(ctx.db), prices: ctx.loaded.config.review.prices, logsDir: ctx.paths.logsDir, now: ctx.now() }, [day ?? localDay(ctx.now(), ctx.loaded.timezone)]);
    return text(renderReviewDigest(digest));
  });
  server.registerTool("approvals", { description: "Tool calls waiting for the user's approval (read-only: only the person approves).", inputSchema: {} }, async () => {
    const pending = createApprovalQueue(ctx.db).pending(ctx.now());
    return text(pending.length ? pending.map((item) => `#${item.id} ${item.tool} ${item.input} (why: ${item.reason}; expires ${item.expiresAt})`).join("\n") : "nothing is waiting");
  });
  server.registerTool("tasks", { description: "Vigil's coding tasks, newest first: state, repository, branch, goal and result (read-only).", inputSchema: {} }, async () => {
    const tasks = createTaskStore(ctx).list({ limit: 50 });
    return text(tasks.length ? tasks.map((task) => `#${task.id} ${task.state} ${task.repo} ${task.branch}: ${task.goal}${task.summary ? `\n  result: ${task.summary}` : ""}`).join("\n") : "no tasks");
  });
  const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
  await server.connect(transport);
  await closed;
}
