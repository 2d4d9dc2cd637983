// A real MCP server over stdio, written with the SDK, for the daemon's tests: tools that echo,
// fail, hang, return large output, print secrets from their environment, and crash the server.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { appendFileSync } from "node:fs";
import { z } from "zod";

const server = new McpServer({ name: "vigil-test", version: "1.0.0" });
const log = process.env.MCP_TEST_LOG;
const note = (line) => log && appendFileSync(log, `${line}\n`);
note(`started ${process.pid}`);

const text = (value) => ({ content: [{ type: "text", text: value }] });
server.registerTool("echo", { description: "Echo the text back", inputSchema: { text: z.string() } }, async ({ text: value }) => {
  note(`echo ${value}`);
  return text(`echo: ${value}`);
});
server.registerTool("fail", { description: "Always fails", inputSchema: {} }, async () => ({ content: [{ type: "text", text: "it broke" }], isError: true }));
server.registerTool("hang", { description: "Never answers", inputSchema: {} }, () => new Promise(() => undefined));
server.registerTool("big", { description: "A megabyte of text", inputSchema: {} }, async () => text("x".repeat(1024 * 1024)));
server.registerTool("env", { description: "Names of the variables it sees", inputSchema: {} }, async () => text(Object.keys(process.env).sort().join(",")));
server.registerTool("crash", { description: "Exits the server", inputSchema: {} }, async () => {
  note("crash");
  setTimeout(() => process.exit(3), 10);
  return text("bye");
});

await server.connect(new StdioServerTransport());
