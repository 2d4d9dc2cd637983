import picomatch from "picomatch";
import type { RawConfig } from "../config/config-schema.js";
import type { Tool } from "../toolkit/tool.js";
import type { RiskClass } from "../toolkit/tool.js";

export type Policy = "auto" | "critic" | "ask" | "deny";

/** Safe defaults per risk class, used where `tools.policy` names no policy for the tool. */
export const DEFAULT_POLICY: Record<RiskClass, Policy> = {
  read: "auto",
  notify: "auto",
  write: "ask",
  external: "ask",
  exec: "critic",
};

/** Tools whose own default differs from their class's: memory is Vigil's own notebook. */
const TOOL_DEFAULTS: Partial<Record<string, Policy>> = { memory_write: "auto", memory_delete: "auto" };

const TAINT_SENSITIVE = new Set<RiskClass>(["write", "external", "exec"]);

export interface PolicyDecision {
  policy: Policy;
  /** Why the configured policy was tightened, when it was. */
  reason: string;
}

/**
 * The policy for one call. Taint only ever tightens: in a turn that read untrusted text, a write,
 * external or exec tool needs the user's approval whatever the config says (short of deny).
 */
export function decidePolicy(tool: Tool, configured: RawConfig["tools"]["policy"], context: { tainted: boolean; criticExhausted: boolean }): PolicyDecision {
  const policy = _configuredFor(tool.name, configured) ?? TOOL_DEFAULTS[tool.name] ?? DEFAULT_POLICY[tool.risk];
  if (policy === "deny") return { policy, reason: "denied by tools.policy" };
  if (context.tainted && TAINT_SENSITIVE.has(tool.risk) && policy !== "ask") {
    return { policy: "ask", reason: "this turn read untrusted outside text, so it needs your approval" };
  }
  if (policy === "critic" && context.criticExhausted) return { policy: "ask", reason: "the critic blocked it too often; it now needs your approval" };
  return { policy, reason: policy === "ask" ? `tools.policy for ${tool.name} is ask` : "" };
}

/** The tool's own key wins; else the longest pattern that matches it (`linear__*`). */
function _configuredFor(name: string, configured: RawConfig["tools"]["policy"]): Policy | undefined {
  const entries = configured as Partial<Record<string, Policy>>;
  if (entries[name]) return entries[name];
  const patterns = Object.keys(entries).filter((key) => /[*?]/.test(key) && picomatch.isMatch(name, key));
  const best = patterns.sort((a, b) => b.length - a.length)[0];
  return best ? entries[best] : undefined;
}
