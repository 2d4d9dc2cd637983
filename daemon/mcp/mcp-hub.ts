import type { McpConnectionOptions } from "./mcp-connection.js";
import type { RawConfig } from "../config/config-schema.js";
import type { Logger } from "../logger/create-logger.js";
import type { Tool } from "../toolkit/tool.js";
import { createMcpConnection, type McpConnection, type McpServerStatus } from "./mcp-connection.js";
import { createMcpTool } from "./mcp-tool.js";

/** Where the daemon keeps its servers' status for `vigil mcp list` (in daemon_state). */
export const MCP_STATUS_KEY = "mcpStatus";

/** How long a start waits for the servers' first handshake before the first turn may run without them. */
export const MCP_START_WAIT_MS = 10_000;

export interface McpHubOptions {
  config: RawConfig["mcp"];
  env: NodeJS.ProcessEnv;
  journal: McpConnectionOptions["journal"];
  logger: Logger;
  now: () => Date;
  backoffMs?: number;
}

export interface McpHub {
  /** Starts the named servers (default: all) in the background. */
  start(names?: readonly string[]): void;
  /** Resolves once each started server's first attempt has settled, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<void>;
  /** The tools of the servers that are up, as `SERVER__TOOL`, servers and tools in name order. */
  tools(): Tool[];
  /** Changes whenever some server's tools appear, change or go. */
  version(): number;
  statuses(): McpServerStatus[];
  /** Called with every server's status after any change (the daemon keeps it for `vigil mcp list`). */
  onStatus(listener: (statuses: McpServerStatus[]) => void): void;
  stop(): Promise<void>;
}

/** The user's MCP servers as tool providers: one connection each, their tools in a stable order. */
export function createMcpHub(options: McpHubOptions): McpHub {
  const names = Object.keys(options.config.servers).sort();
  const connections = new Map<string, McpConnection>();
  const started = new Set<string>();
  let version = 0;
  let cached: { version: number; tools: Tool[] } | undefined;
  const listeners: Array<(statuses: McpServerStatus[]) => void> = [];

  for (const name of names) {
    const connection = createMcpConnection({
      name,
      spec: options.config.servers[name]!,
      env: options.env,
      journal: options.journal,
      logger: options.logger,
      now: options.now,
      callTimeoutMs: options.config.callTimeoutSeconds * 1000,
      ...(options.backoffMs ? { backoffMs: options.backoffMs } : {}),
      onChange: () => {
        version++;
        for (const listener of listeners) listener(hub.statuses());
      },
    });
    connections.set(name, connection);
  }

  const hub: McpHub = {
    start(only = names) {
      for (const name of only.filter((server) => connections.has(server) && !started.has(server))) {
        started.add(name);
        connections.get(name)!.start();
      }
    },
    async settled(timeoutMs) {
      const all = Promise.all([...started].map((name) => connections.get(name)!.settled()));
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    },
    tools() {
      if (cached?.version !== version) {
        cached = { version, tools: names.flatMap((name) => connections.get(name)!.tools().map((info) => createMcpTool(name, info, connections.get(name)!))) };
      }
      return cached.tools;
    },
    version: () => version,
    statuses: () => names.map((name) => connections.get(name)!.status()),
    onStatus: (listener) => void listeners.push(listener),
    stop: async () => void (await Promise.all([...connections.values()].map((connection) => connection.stop()))),
  };
  return hub;
}
