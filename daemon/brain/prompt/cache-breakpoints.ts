import type { ToolDefinition } from "../../toolkit/tool-registry.js";

/**
 * One-hour cache: idle wakes come every 30 minutes by default, so a 5-minute entry would have
 * expired at every wake and been written again (1.25× input price each time); a 1-hour entry is
 * written once (2×) and then read at 0.1×, refreshed by each read.
 */
export const EPHEMERAL = { type: "ephemeral", ttl: "1h" } as const;
/** Within one sub-turn the steps are seconds apart: the default 5-minute entry is the cheaper write. */
export const EPHEMERAL_SHORT = { type: "ephemeral" } as const;

export type CachedTool = ToolDefinition & { cache_control?: typeof EPHEMERAL };

/** The tools in their fixed order, the breakpoint on the last one: the whole list is one cached prefix. */
export function cacheTools(tools: readonly ToolDefinition[]): CachedTool[] {
  return tools.map((tool, index) => (index === tools.length - 1 ? { ...tool, cache_control: EPHEMERAL } : { ...tool }));
}
