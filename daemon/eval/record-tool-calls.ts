import type { RiskClass } from "../toolkit/tool.js";
import { invokeTool, parseToolInput } from "../toolkit/invoke-tool.js";
import type { ToolRunner } from "../tools/run-tool-call.js";
import type { ToolRegistry } from "../toolkit/tool-registry.js";

/** One tool call the model made during an eval turn. */
export interface RecordedCall {
  name: string;
  input: unknown;
  risk: RiskClass | "unknown";
  /** Only `read`-class tools run, and only inside the eval's temp home and workspace. */
  executed: boolean;
  /** Unknown tool or input its schema rejects: the model got this error back, as in a real turn. */
  error?: string;
}

/** Tools of these classes run for real: they can only look at (or note in) the throw-away home. */
const RUNS_IN_SANDBOX = new Set<RiskClass>(["read"]);

/**
 * The eval's tool runner, injected into the real turn in place of `runToolCall`: every call is
 * validated against the tool's own schema and recorded; anything that could act on the world
 * (notify, write, external, exec) is answered as done without being executed.
 */
export function createRecordingRunner(registry: ToolRegistry): { runTool: ToolRunner; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const runTool: ToolRunner = async (call, scope) => {
    const tool = registry.get(call.name);
    if (!tool) {
      const error = `unknown tool "${call.name}"; the tools are: ${registry.names().join(", ")}`;
      calls.push({ name: call.name, input: call.input, risk: "unknown", executed: false, error });
      return { content: error, isError: true };
    }
    const parsed = parseToolInput(tool, call.input);
    if ("error" in parsed) {
      calls.push({ name: tool.name, input: call.input, risk: tool.risk, executed: false, error: parsed.error });
      return { content: parsed.error, isError: true };
    }
    const executed = RUNS_IN_SANDBOX.has(tool.risk);
    calls.push({ name: tool.name, input: parsed.data, risk: tool.risk, executed });
    if (executed) return invokeTool(tool, parsed.data, scope);
    return { content: `done: ${tool.name} recorded (this is an evaluation run; nothing was executed)` };
  };
  return { runTool, calls };
}
