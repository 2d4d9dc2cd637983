import type { RawConfig } from "./config-schema.js";

/** A value in an MCP server's `env:` or `headers:` is literal text, or `env:NAME`, read from the environment. */
export function resolveEnvValues(values: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value.startsWith("env:") ? (env[value.slice(4)] ?? "") : value]));
}

/** Every secret an MCP server gets through `env:`, so the redactor keeps them out of every record. */
export function mcpSecretValues(config: RawConfig, env: NodeJS.ProcessEnv): string[] {
  return Object.values(config.mcp.servers).flatMap((spec) =>
    Object.values("command" in spec ? spec.env : spec.headers)
      .filter((value) => value.startsWith("env:"))
      .map((value) => env[value.slice(4)] ?? "")
      .filter(Boolean),
  );
}
