import type { z } from "zod";
import { configSchema } from "./config-schema.js";

export interface ConfigIssue {
  keyPath: Array<string | number>;
  problem: string;
  fix: string;
}

/** zod's own wording starts like this; a message the schema wrote itself ("must look like …") is kept. */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

const TYPE_WORDS: Record<string, string> = {
  array: "a list",
  object: "a mapping (key: value lines)",
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
};

/**
 * Turns one zod issue into plain words a person can act on ("must be a list"), with the key it concerns. `schema` is
 * the one that was checked (config by default; eval scenarios reuse this), for the allowed keys.
 */
export function describeConfigIssue(issue: z.core.$ZodIssue, schema: z.ZodType = configSchema): ConfigIssue {
  const keyPath = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
  const name = formatKeyPath(keyPath) || "the top level";
  const input = "input" in issue ? issue.input : undefined;
  const got = input === undefined ? "" : ` (it is ${_describeValue(input)})`;
  // A value written where a secret reference belongs may be the secret itself: never echo it.
  if (_isSecretKey(keyPath) && issue.code !== "unrecognized_keys") {
    return { keyPath, problem: "must be an env: reference (the value is not shown)", fix: `set ${name} to env:NAME and export NAME` };
  }
  switch (issue.code) {
    case "unrecognized_keys": {
      const unknown = issue.keys[0] ?? "";
      const allowed = _knownKeysAt(schema, keyPath);
      return { keyPath: [...keyPath, unknown], problem: "is not a known key", fix: `remove it or correct the spelling; keys allowed under ${name}: ${allowed.join(", ")}` };
    }
    case "invalid_type": {
      const wanted = TYPE_WORDS[issue.expected] ?? issue.expected;
      return input === undefined
        ? { keyPath, problem: "is required", fix: `add ${name} (${wanted})` }
        : { keyPath, problem: `must be ${wanted}${got}`, fix: `set ${name} to ${wanted}` };
    }
    case "invalid_value": {
      const choices = issue.values.map((value) => JSON.stringify(value)).join(", ");
      return { keyPath, problem: `must be one of ${choices}${got}`, fix: `set ${name} to one of: ${choices}` };
    }
    case "too_big":
    case "too_small": {
      const bound = issue.code === "too_big" ? `at most ${issue.maximum}` : `at least ${issue.minimum}`;
      const what = issue.origin === "string" ? ` characters long` : issue.origin === "array" ? " item(s)" : "";
      const plain = issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1 ? "must not be empty" : `must be ${bound}${what}`;
      return { keyPath, problem: `${plain}${got}`, fix: `set ${name} to a value ${bound}${what}` };
    }
    case "invalid_key": {
      // A map keyed by names (tools.policy, mcp.servers): the key's own rule says what is allowed.
      const key = String(issue.path.at(-1) ?? "");
      const why = issue.issues[0]?.message ?? "is not an allowed key";
      return { keyPath, problem: `"${key}" ${why.replace(/^[A-Z]/, (c) => c.toLowerCase())}`, fix: `rename or remove ${name}` };
    }
    default: {
      const own = ZOD_WORDING.test(issue.message) ? `is not accepted (${issue.message.replace(/^[A-Z]/, (c) => c.toLowerCase())})` : issue.message;
      return { keyPath, problem: `${own}${got}`, fix: `${name} ${own}` };
    }
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
function _knownKeysAt(root: z.ZodType, keyPath: ReadonlyArray<string | number>): string[] {
  let schema: unknown = root;
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
