import type { Command } from "commander";
import type { VigilContext } from "../../context/open-context.js";
import { buildNotifier } from "../../notify/build-notifier.js";
import { assembleRuntime, type Runtime } from "../../supervisor/assemble-runtime.js";
import { MCP_START_WAIT_MS } from "../../mcp/mcp-hub.js";
import type { Tool } from "../../toolkit/tool.js";
import { approveCall, denyCall, describeApprovalChannel } from "../../tools/resolve-approval.js";
import { withContext } from "../with-context.js";
import { listApprovalDecisions } from "../../review/approval-decisions.js";
import { localDay } from "../../../logs/local-day.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { formatLocalTime } from "../format-local-time.js";
import { EXIT, UsageError } from "../exit-codes.js";

export function registerApprovalCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("approvals")
    .description("tool calls waiting for your approval")
    .option("--json", "one JSON object per line")
    .action(async (options: { json?: boolean }) => setExit(await withContext(io, (ctx) => _list(io, ctx, options))));
  program
    .command("approve")
    .description("run a waiting tool call, once")
    .argument("<id>", "the approval's number")
    .action(async (id: string) => setExit(await withContext(io, (ctx) => _approve(io, ctx, _id(id)))));
  program
    .command("deny")
    .description("refuse a waiting tool call")
    .argument("<id>", "the approval's number")
    .action(async (id: string) => setExit(await withContext(io, (ctx) => _deny(io, ctx, _id(id)))));
}

function _id(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`"${text}" is not an approval number; see vigil approvals`);
  return Number(text);
}

function _list(io: CliIo, ctx: VigilContext, options: { json?: boolean }): number {
  const runtime = assembleRuntime(ctx, { client: undefined, notifier: buildNotifier(ctx) });
  for (const expired of runtime.turn.toolDeps.approvals.expire(ctx.now())) {
    ctx.journal.append({ kind: "system", summary: `approval #${expired.id} expired: ${expired.tool} was not run`, data: { event: "approval-expired", approvalId: expired.id } });
  }
  const pending = runtime.turn.toolDeps.approvals.pending(ctx.now());
  for (const item of pending) {
    writeLine(io.stdout, options.json ? JSON.stringify({ ...item, input: JSON.parse(item.input) }) : `#${item.id}  ${item.tool} ${item.input}\n     why: ${item.reason}; expires ${formatLocalTime(item.expiresAt, ctx.now(), ctx.loaded.timezone)}`);
  }
  if (!options.json && pending.length === 0) writeLine(io.stderr, "nothing is waiting for your approval");
  if (!options.json) {
    for (const decision of listApprovalDecisions(ctx.db, localDay(ctx.now(), ctx.loaded.timezone))) {
      writeLine(io.stdout, `#${decision.approvalId}  ${decision.tool} ${decision.decision} ${describeApprovalChannel(decision.by)} at ${formatLocalTime(decision.ts, ctx.now(), ctx.loaded.timezone)}`);
    }
  }
  return EXIT.ok;
}

async function _approve(io: CliIo, ctx: VigilContext, id: number): Promise<number> {
  const runtime = assembleRuntime(ctx, { client: undefined, notifier: buildNotifier(ctx), foreground: true });
  const outcome = await approveCall(runtime.turn.toolDeps, id, { now: ctx.now(), timeZone: ctx.loaded.timezone, by: "cli", findTool: (name) => _findTool(runtime, name) });
  if (!outcome.ok) {
    writeLine(io.stderr, `approval #${id} is ${outcome.state}: nothing to run`);
    return EXIT.failed;
  }
  const result = outcome.result!;
  await runtime.mcp.stop();
  writeLine(result.isError ? io.stderr : io.stdout, `#${id} ${outcome.approval.tool}: ${result.content}`);
  return result.isError ? EXIT.failed : EXIT.ok;
}

/** A built-in tool, or an MCP tool, whose one server this process starts just for the call. */
async function _findTool(runtime: Runtime, name: string): Promise<Tool | undefined> {
  const { registry } = runtime.turn.toolDeps;
  const server = name.includes("__") ? name.slice(0, name.indexOf("__")) : undefined;
  if (!registry.get(name) && server) {
    runtime.mcp.start([server]);
    await runtime.mcp.settled(MCP_START_WAIT_MS);
  }
  return registry.get(name);
}

function _deny(io: CliIo, ctx: VigilContext, id: number): number {
  const runtime = assembleRuntime(ctx, { client: undefined, notifier: buildNotifier(ctx) });
  const outcome = denyCall(runtime.turn.toolDeps, id, { now: ctx.now(), by: "cli" });
  if (!outcome.ok) {
    writeLine(io.stderr, `approval #${id} is ${outcome.state}: nothing to deny`);
    return EXIT.failed;
  }
  writeLine(io.stdout, `denied #${id} (${outcome.approval.tool})`);
  return EXIT.ok;
}
