import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { expandHome } from "../paths/expand-home.js";
import { VERSION } from "../version.js";
import { resolveEnvValues } from "../config/resolve-env-values.js";
import type { McpServerSpec } from "./mcp-server-spec.js";

export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: { type: "object"; [key: string]: unknown };
}

export interface McpSession {
  client: Client;
  tools: McpToolInfo[];
  /** The server said its tool list changed (`notifications/tools/list_changed`). */
  onToolListChanged(handler: () => void): void;
  /** The last lines the server wrote to stderr, for the error it is down with. */
  stderrTail(): string;
}

const STDERR_TAIL = 2_000;
/** A server started with `npx` may take a while the first time; a call's own timeout is separate. */
const START_TIMEOUT_MS = 30_000;

/**
 * Starts (stdio) or reaches (Streamable HTTP) one server, does the MCP handshake and lists its
 * tools. A stdio server gets only a minimal environment (the SDK's: HOME, PATH, USER, SHELL …)
 * plus what its config names, never the daemon's keys.
 */
export async function connectMcpServer(name: string, spec: McpServerSpec, env: NodeJS.ProcessEnv, timeoutMs = START_TIMEOUT_MS): Promise<McpSession> {
  // Loaded only when a server is configured: the SDK is large and most verbs never need it.
  const [{ Client }, { StdioClientTransport }, { StreamableHTTPClientTransport }, { ToolListChangedNotificationSchema }] = await Promise.all([
    import("@modelcontextprotocol/sdk/client/index.js"),
    import("@modelcontextprotocol/sdk/client/stdio.js"),
    import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
    import("@modelcontextprotocol/sdk/types.js"),
  ]);
  const client = new Client({ name: "vigil", version: VERSION });
  let stderr = "";
  const transport =
    "command" in spec
      ? new StdioClientTransport({
          command: spec.command.startsWith("~") ? expandHome(spec.command, env) : spec.command,
          args: spec.args,
          env: resolveEnvValues(spec.env, env),
          stderr: "pipe",
          ...(spec.cwd ? { cwd: expandHome(spec.cwd, env) } : {}),
        })
      : new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: resolveEnvValues(spec.headers, env) } });
  if (transport instanceof StdioClientTransport) {
    transport.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_TAIL)));
  }
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const listed = await client.listTools(undefined, { timeout: timeoutMs });
    return {
      client,
      tools: toolInfos(listed.tools),
      onToolListChanged: (handler) => client.setNotificationHandler(ToolListChangedNotificationSchema, handler),
      stderrTail: () => stderr.trim(),
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    const tail = stderr.trim().split("\n").slice(-3).join(" | ");
    throw new Error(`${name}: ${(error as Error).message}${tail ? ` (stderr: ${tail})` : ""}`);
  }
}

/** A server's tools as the prompt shows them, in name order so the cached front never shifts. */
export function toolInfos(tools: ReadonlyArray<{ name: string; description?: string; inputSchema: Record<string, unknown> }>): McpToolInfo[] {
  return tools
    .map((tool) => ({ name: tool.name, description: tool.description ?? "", inputSchema: { ...tool.inputSchema, type: "object" as const } }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
