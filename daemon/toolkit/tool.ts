import type { z } from "zod";
import type { TOOL_NAMES } from "../config/config-schema.js";

/**
 * Sub-turn tools (the task worker's, the dream's whole-index rewrite, a magic doc's own write) exist only inside
 * their sub-turn, which has no policy layer, so no policy names them.
 */
export type SubTurnToolName = "memory_write_index" | "update_magic_doc" | TaskWorkerToolName;
/** The task worker's own tools (besides the file and command tools it shares names with). */
export type TaskWorkerToolName = "edit_file" | "git_diff" | "finish_task";
/** A tool of one of the user's MCP servers: `SERVER__TOOL`. */
export type McpToolName = `${string}__${string}`;
export type ToolName = (typeof TOOL_NAMES)[number] | SubTurnToolName | McpToolName;

/** How much harm a tool can do; policy is set per class and per tool (DESIGN.md, section 5). */
export type RiskClass = "read" | "notify" | "write" | "external" | "exec";

/** What a tool gets to know about the turn it runs in. */
export interface ToolCallContext {
  turnId: string;
  now: Date;
  timeZone: string;
  /** The events the turn took in, for a tool that reads its own batch (`list_changes`). */
  batch?: readonly BatchEvent[];
}

/** An event of the turn's batch as a tool sees it. */
export interface BatchEvent {
  id: number;
  source: string;
  type: string;
  trust: string;
  summary: string;
  payload: Record<string, unknown>;
  receivedAt: string;
}

export interface ToolResult {
  /** Text returned to the model as the tool_result. */
  content: string;
  isError?: boolean;
  /** Queued for the user's approval: not run, not failed. */
  deferred?: boolean;
  /** The call was the same as one an interrupted turn already made, so it did not run. */
  repeated?: boolean;
  /** `stay_quiet` ends the turn as a quiet one, with this reason. */
  quietReason?: string;
  /** The content came from outside (an MCP server): the rest of the turn is tainted. */
  untrusted?: boolean;
}

export interface Tool<Input = unknown> {
  name: ToolName;
  description: string;
  risk: RiskClass;
  input: z.ZodType<Input>;
  /** The schema the model sees, when it is not derived from `input` (an MCP server's own). */
  inputJsonSchema?: { type: "object"; [key: string]: unknown };
  run(input: Input, context: ToolCallContext): ToolResult | Promise<ToolResult>;
  /**
   * Fixes what the call would act on at the moment it is asked for (a pull request's head commit),
   * so the approval shows, and runs, exactly that; a ToolError refuses the call instead of queuing it.
   */
  pinForApproval?(input: Input, context: ToolCallContext): Input | Promise<Input>;
}

/** Erases a tool's input type so tools of different inputs share one list. */
export function defineTool<Input>(tool: Tool<Input>): Tool {
  return tool as Tool;
}

export class ToolError extends Error {
  override name = "ToolError";
}
