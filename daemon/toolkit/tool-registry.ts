import { z } from "zod";
import { TOOL_NAMES } from "../config/config-schema.js";
import type { Tool, ToolName } from "./tool.js";

/** A tool as the Messages API receives it. */
export interface ToolDefinition {
  name: string;
  description: string;
  input_schema: { type: "object"; [key: string]: unknown };
}

export interface ToolRegistry {
  get(name: string): Tool | undefined;
  names(): ToolName[];
  /** Definitions in the contract's fixed order, so the prompt's cached prefix never shifts. */
  definitions(): ToolDefinition[];
}

/** Tools that come and go while the daemon runs (MCP servers going up and down). */
export interface DynamicTools {
  tools(): readonly Tool[];
  /** Changes whenever `tools()` would return something else. */
  version(): number;
}

/**
 * Built-in tools in the contract's order, then the dynamic ones in their own stable order; the
 * definitions are rebuilt only when the dynamic list changes, so the cached front stays
 * byte-identical between wakes while it does not.
 */
export function createToolRegistry(tools: readonly Tool[], dynamic?: DynamicTools): ToolRegistry {
  const byName = new Map(tools.map((tool) => [tool.name as string, tool]));
  const known = new Set<string>(TOOL_NAMES);
  const ordered = [...TOOL_NAMES.filter((name) => byName.has(name)).map((name) => byName.get(name)!), ...tools.filter((tool) => !known.has(tool.name))];
  const builtIn = ordered.map(_definition);
  let current: { version: number; tools: readonly Tool[]; definitions: ToolDefinition[] } | undefined;
  const extra = () => {
    if (!dynamic) return { tools: [] as readonly Tool[], definitions: [] as ToolDefinition[] };
    if (current?.version !== dynamic.version()) {
      const list = dynamic.tools().filter((tool) => !byName.has(tool.name));
      current = { version: dynamic.version(), tools: list, definitions: list.map(_definition) };
    }
    return current;
  };
  return {
    get: (name) => byName.get(name) ?? extra().tools.find((tool) => tool.name === name),
    names: () => [...ordered, ...extra().tools].map((tool) => tool.name),
    definitions: () => (dynamic ? [...builtIn, ...extra().definitions] : builtIn),
  };
}

function _definition(tool: Tool): ToolDefinition {
  return { name: tool.name, description: tool.description, input_schema: tool.inputJsonSchema ?? _jsonSchema(tool.input) };
}

type JsonObjectSchema = { type?: string; properties?: Record<string, unknown>; required?: string[]; anyOf?: JsonObjectSchema[] };

/**
 * The API wants a plain object schema at the top. A union of objects (`{minutes} | {until}`) is
 * merged into one object whose shared keys are required; zod still enforces the exact union.
 */
function _jsonSchema(schema: z.ZodType): ToolDefinition["input_schema"] {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema) as JsonObjectSchema & { $schema?: string };
  if (!json.anyOf) return { ...json, type: "object" };
  const variants = json.anyOf;
  const properties = Object.assign({}, ...variants.map((variant) => variant.properties ?? {})) as Record<string, unknown>;
  const required = (variants[0]?.required ?? []).filter((key) => variants.every((variant) => variant.required?.includes(key)));
  return { type: "object", properties, required, additionalProperties: false };
}
