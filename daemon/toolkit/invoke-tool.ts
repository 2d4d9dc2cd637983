import { ToolError, type Tool, type ToolCallContext, type ToolResult } from "./tool.js";

/** The tool's input checked against its schema, or a message naming each bad field. */
export function parseToolInput(tool: Tool, input: unknown): { data: unknown } | { error: string } {
  const parsed = tool.input.safeParse(input);
  if (parsed.success) return { data: parsed.data };
  return { error: `invalid input for ${tool.name}: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ")}` };
}

/** Runs a tool on parsed input; a throw becomes a tool error the model can read, never an exception. */
export async function invokeTool(tool: Tool, input: unknown, context: ToolCallContext): Promise<ToolResult> {
  try {
    return await tool.run(input, context);
  } catch (error) {
    return { content: error instanceof ToolError ? error.message : `${tool.name} failed: ${(error as Error).message}`, isError: true };
  }
}

/** The input an approval stores: the tool's pinned input (see Tool.pinForApproval), or a tool error. */
export async function pinToolInput(tool: Tool, input: unknown, context: ToolCallContext): Promise<{ data: unknown } | { error: string }> {
  if (!tool.pinForApproval) return { data: input };
  try {
    return { data: await tool.pinForApproval(input, context) };
  } catch (error) {
    return { error: error instanceof ToolError ? error.message : `${tool.name} failed: ${(error as Error).message}` };
  }
}
