import { z } from "zod";
import { fenceUntrusted, neutralizeMarkup } from "../brain/prompt/fence-untrusted.js";
import { defineTool, type Tool } from "../toolkit/tool.js";
import type { McpToolInfo } from "./connect-mcp-server.js";
import type { McpConnection } from "./mcp-connection.js";

/** A server writes its own descriptions: outside text in the cached front, so kept short and inert. */
const MAX_DESCRIPTION = 1_000;

/**
 * One MCP tool as a Vigil tool: `SERVER__TOOL`, the server's own JSON Schema, class `external`
 * (default policy `ask`), and a result that is outside content — fenced as data, and it taints
 * the turn, so nothing that writes, runs or leaves the machine follows it without approval.
 */
export function createMcpTool(server: string, info: McpToolInfo, connection: McpConnection): Tool {
  return defineTool({
    name: `${server}__${info.name}`,
    description: `[MCP server ${server}] ${neutralizeMarkup(info.description).slice(0, MAX_DESCRIPTION)}`,
    risk: "external",
    // The server validates its own input; this keeps it an object.
    input: z.record(z.string(), z.unknown()),
    inputJsonSchema: info.inputSchema,
    async run(input) {
      const result = await connection.call(info.name, input);
      return { content: fenceUntrusted(`source="mcp" server="${server}" tool="${info.name}"`, result.text), isError: result.isError, untrusted: true };
    },
  });
}
