import type { z } from "zod";
import { configSchema } from "./config-schema.js";

export interface ConfigIssue {
  keyPath: Array<string | number>;
  problem: string;
  fix: string;
}

/** Turns one zod issue into a sentence a person can act on, with the key it concerns. */
export function describeConfigIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const keyPath = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
  const name = formatKeyPath(keyPath) || "the top level";
  // A value written where a secret reference belongs may be the secret itself: never echo it.
  if (_isSecretKey(keyPath) && issue.code !== "unrecognized_keys") {
    return { keyPath, problem: "is not an env: reference (the value is not shown)", fix: `set ${name} to env:NAME and export NAME` };
  }
  switch (issue.code) {
    case "unrecognized_keys": {
      const unknown = issue.keys[0] ?? "";
      const allowed = _knownKeysAt(keyPath);
      return {
        keyPath: [...keyPath, unknown],
        problem: `unknown key "${unknown}"`,
        fix: `remove it or correct the spelling; keys allowed under ${name}: ${allowed.join(", ")}`,
      };
    }
    case "invalid_key": {
      // A map keyed by names (tools.policy, mcp.servers): the key's own rule says what is allowed.
      const key = String(issue.path.at(-1) ?? "");
      const why = issue.issues[0]?.message ?? "is not an allowed key";
      return { keyPath, problem: `"${key}" ${why.replace(/^[A-Z]/, (c) => c.toLowerCase())}`, fix: `rename or remove ${name}` };
    }
    case "invalid_type":
      return issue.input === undefined
        ? { keyPath, problem: "is required", fix: `add ${name} (${issue.expected})` }
        : { keyPath, problem: `expected ${issue.expected}, got ${_describeValue(issue.input)}`, fix: `set ${name} to a ${issue.expected}` };
    case "invalid_value":
      return {
        keyPath,
        problem: `got ${_describeValue(issue.input)}`,
        fix: `set ${name} to one of: ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`,
      };
    default:
      return {
        keyPath,
        problem: "input" in issue && issue.input !== undefined ? `${_describeValue(issue.input)} is not accepted` : "is not accepted",
        fix: `${name} ${issue.message.replace(/^[A-Z]/, (c) => c.toLowerCase())}`,
      };
  }
}

export function formatKeyPath(keyPath: ReadonlyArray<string | number>): string {
  return keyPath.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? part : `.${part}`)).join("");
}

function _describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return JSON.stringify(value);
}

/** The keys the schema allows at `keyPath`, for "did you mean" style hints. */
function _knownKeysAt(keyPath: ReadonlyArray<string | number>): string[] {
  let schema: unknown = configSchema;
  for (const part of keyPath) {
    schema = _unwrap(schema);
    const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else if (def.type === "object") schema = (def.shape as Record<string, unknown>)[String(part)];
    else return [];
    if (!schema) return [];
  }
  return _objectKeys(_unwrap(schema));
}

/** An object's keys; for a union of objects (an MCP server: stdio or HTTP), every branch's. */
function _objectKeys(schema: unknown): string[] {
  const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
  if (def.type === "object") return Object.keys(def.shape as object);
  if (def.type === "union") return [...new Set((def.options as unknown[]).flatMap((option) => _objectKeys(_unwrap(option))))];
  return [];
}

function _unwrap(schema: unknown): unknown {
  let current = schema as { _zod: { def: { innerType?: unknown } } };
  while (current._zod.def.innerType) current = current._zod.def.innerType as typeof current;
  return current;
}

function _isSecretKey(keyPath: ReadonlyArray<string | number>): boolean {
  return /token|secret/i.test(String(keyPath.at(-1) ?? ""));
}
