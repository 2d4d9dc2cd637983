import type { Command } from "commander";
import type { VigilContext } from "../../context/open-context.js";
import type { McpServerStatus } from "../../mcp/mcp-connection.js";
import { MCP_STATUS_KEY } from "../../mcp/mcp-hub.js";
import { isProcessAlive } from "../../locks/instance-lock.js";
import { createDaemonState } from "../../state/daemon-state.js";
import { withContext } from "../with-context.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";

export function registerMcpCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const mcp = program.command("mcp").description("MCP: the servers Vigil uses as tools, and Vigil as a server for other agents");
  mcp
    .command("list")
    .description("configured MCP servers: state, tools, last error (live from the running daemon)")
    .option("--json", "print {servers: [...]} as JSON")
    .action(async (options: { json?: boolean }) => setExit(await withContext(io, (ctx) => _list(io, ctx, options))));
  mcp
    .command("serve")
    .description("run Vigil as an MCP server on stdio (tell, search, journal, review, approvals; it never approves)")
    .action(async () => {
      const { serveVigilMcp } = await import("../../mcp/serve-vigil-mcp.js");
      setExit(await withContext(io, async (ctx) => (await serveVigilMcp(ctx), EXIT.ok)));
    });
}

interface ListedServer {
  name: string;
  transport: "stdio" | "http";
  state: McpServerStatus["state"] | "not running";
  tools: string[];
  lastError: string | null;
  since: string | null;
}

function _list(io: CliIo, ctx: VigilContext, options: { json?: boolean }): number {
  const kept = createDaemonState(ctx.db).get<{ pid: number; servers: McpServerStatus[] }>(MCP_STATUS_KEY);
  const live = kept && isProcessAlive(kept.pid) ? new Map(kept.servers.map((server) => [server.name, server])) : undefined;
  const servers: ListedServer[] = Object.entries(ctx.loaded.config.mcp.servers)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, spec]) => {
      const status = live?.get(name);
      return { name, transport: "command" in spec ? "stdio" : "http", state: status?.state ?? "not running", tools: status?.tools ?? [], lastError: status?.lastError ?? null, since: status?.since ?? null };
    });
  if (options.json) {
    writeLine(io.stdout, JSON.stringify({ servers }));
    return EXIT.ok;
  }
  if (servers.length === 0) writeLine(io.stderr, "no MCP servers configured (add them under mcp.servers in config.yaml)");
  if (servers.length > 0 && !live) writeLine(io.stderr, "the daemon is not running: servers start with `vigil start`; `vigil doctor` tries each one now");
  for (const server of servers) {
    writeLine(io.stdout, `${server.name}  ${server.transport}  ${server.state}  ${server.tools.length} tool(s)${server.tools.length ? `: ${server.tools.join(", ")}` : ""}`);
    if (server.lastError) writeLine(io.stdout, `    last error: ${server.lastError}`);
  }
  return EXIT.ok;
}
