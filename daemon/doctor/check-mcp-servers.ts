import type { VigilContext } from "../context/open-context.js";
import { createMcpHub, MCP_START_WAIT_MS } from "../mcp/mcp-hub.js";

/** The shape of a doctor check (doctor-checks.ts), kept structural so neither file imports the other. */
interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/**
 * Starts every configured MCP server once, here and now, and lists its tools: the daemon would
 * see the same. What a server journals while trying (up, down) stays out of the journal: the
 * doctor only looks.
 */
export async function checkMcpServers(ctx: VigilContext): Promise<CheckResult[]> {
  const names = Object.keys(ctx.loaded.config.mcp.servers);
  if (names.length === 0) return [];
  const hub = createMcpHub({ config: ctx.loaded.config.mcp, env: ctx.env, journal: { append: () => undefined }, logger: ctx.logger, now: ctx.now, backoffMs: 3_600_000 });
  try {
    hub.start();
    await hub.settled(MCP_START_WAIT_MS);
    return hub.statuses().map((status) =>
      status.state === "up"
        ? { name: `mcp ${status.name}`, ok: true, detail: `${status.tools.length} tool(s): ${status.tools.join(", ") || "(none)"}` }
        : { name: `mcp ${status.name}`, ok: false, detail: status.lastError ?? `still ${status.state} after ${MCP_START_WAIT_MS / 1000} s`, fix: `check mcp.servers.${status.name} (command, args, url) and run the server by hand to see why it fails` },
    );
  } finally {
    await hub.stop();
  }
}
