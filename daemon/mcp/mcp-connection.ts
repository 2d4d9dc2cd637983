import type { JournalInput } from "../../logs/journal-entry.js";
import type { Logger } from "../logger/create-logger.js";
import { connectMcpServer, toolInfos, type McpSession, type McpToolInfo } from "./connect-mcp-server.js";
import type { McpServerSpec } from "./mcp-server-spec.js";
import { textOfMcpResult } from "./text-of-mcp-result.js";

export type McpServerState = "starting" | "up" | "down" | "stopped";

export interface McpServerStatus {
  name: string;
  state: McpServerState;
  tools: string[];
  lastError: string | null;
  since: string;
  restarts: number;
}

export interface McpConnectionOptions {
  name: string;
  spec: McpServerSpec;
  env: NodeJS.ProcessEnv;
  /** Where up, down and tool-list changes are recorded (the journal, or nowhere for the doctor). */
  journal: { append(input: JournalInput): unknown };
  logger: Logger;
  now: () => Date;
  callTimeoutMs: number;
  /** Called whenever the state or the tool list changes. */
  onChange: () => void;
  /** First restart delay; it doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface McpConnection {
  start(): void;
  /** The server's tools while it is up; none while it is down (withdrawn from the prompt). */
  tools(): McpToolInfo[];
  call(tool: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }>;
  status(): McpServerStatus;
  /** Resolves once the first connection attempt settled (up or down). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One MCP server's life: connect, serve calls with a per-call timeout, and when it fails to start,
 * crashes, hangs or talks garbage, withdraw its tools, journal why, and reconnect with backoff.
 * Nothing here ever throws into the daemon: a broken server is only ever a tool error.
 */
export function createMcpConnection(options: McpConnectionOptions): McpConnection {
  const { name, journal, now } = options;
  const status: McpServerStatus = { name, state: "starting", tools: [], lastError: null, since: now().toISOString(), restarts: 0 };
  let session: McpSession | undefined;
  let retryDelay = options.backoffMs ?? 1_000;
  let timer: NodeJS.Timeout | undefined;
  let firstSettled: () => void = () => undefined;
  const settledOnce = new Promise<void>((resolve) => (firstSettled = resolve));

  const setState = (state: McpServerState, tools: McpToolInfo[], error: string | null) => {
    status.state = state;
    status.tools = tools.map((tool) => tool.name);
    status.lastError = error ?? status.lastError;
    status.since = now().toISOString();
    options.onChange();
  };

  const goDown = (error: string) => {
    if (status.state === "stopped") return;
    const had = status.tools.length;
    const old = session;
    session = undefined;
    void old?.client.close().catch(() => undefined);
    setState("down", [], error);
    journal.append({ kind: "error", summary: `MCP server ${name} is down: ${error}; ${had ? `its ${had} tool(s) are withdrawn; ` : ""}retrying in ${Math.round(retryDelay / 1000)} s`, data: { event: "mcp-down", server: name, error } });
    timer = setTimeout(connect, retryDelay);
    timer.unref();
    retryDelay = Math.min(retryDelay * 2, options.maxBackoffMs ?? 5 * 60_000);
  };

  const connect = async () => {
    if (status.state === "stopped") return;
    if (status.state === "down") status.restarts++;
    try {
      const next = await connectMcpServer(name, options.spec, options.env);
      if ((status.state as McpServerState) === "stopped") return void next.client.close().catch(() => undefined);
      session = next;
      next.client.onclose = () => session === next && goDown(next.stderrTail().split("\n").at(-1) || "the connection closed (the server exited)");
      next.onToolListChanged(() => void relist(next));
      retryDelay = options.backoffMs ?? 1_000;
      setState("up", next.tools, null);
      journal.append({ kind: "system", summary: `MCP server ${name} is up: ${next.tools.length} tool(s)`, data: { event: "mcp-up", server: name, tools: status.tools } });
    } catch (error) {
      goDown((error as Error).message);
    } finally {
      firstSettled();
    }
  };

  const relist = async (current: McpSession) => {
    const listed = await current.client.listTools(undefined, { timeout: options.callTimeoutMs }).catch(() => undefined);
    if (!listed || session !== current) return;
    const before = new Set(status.tools);
    current.tools = toolInfos(listed.tools);
    const after = new Set(current.tools.map((tool) => tool.name));
    setState("up", current.tools, null);
    const added = [...after].filter((tool) => !before.has(tool));
    const removed = [...before].filter((tool) => !after.has(tool));
    journal.append({ kind: "system", summary: `MCP server ${name} changed its tools: ${[...added.map((t) => `+${t}`), ...removed.map((t) => `-${t}`)].join(" ") || "descriptions only"}`, data: { event: "mcp-tools-changed", server: name, added, removed } });
  };

  return {
    start: () => void connect(),
    tools: () => (status.state === "up" && session ? session.tools : []),
    async call(tool, args) {
      const current = session;
      if (!current) throw new Error(`MCP server ${name} is not running (${status.lastError ?? status.state}); try again later`);
      try {
        const result = await current.client.callTool({ name: tool, arguments: args }, undefined, { timeout: options.callTimeoutMs });
        return textOfMcpResult(result);
      } catch (error) {
        const message = (error as Error).message;
        // A call that hung or broke the protocol leaves the server in an unknown state: start afresh.
        if (/timed out|timeout|closed|not connected/i.test(message)) goDown(`${tool}: ${message}`);
        throw new Error(`${name}__${tool} failed: ${message}`);
      }
    },
    status: () => ({ ...status, tools: [...status.tools] }),
    settled: () => settledOnce,
    async stop() {
      clearTimeout(timer);
      status.state = "stopped";
      const current = session;
      session = undefined;
      await current?.client.close().catch(() => undefined);
    },
  };
}
