import type { RawConfig } from "../config/config-schema.js";

export type McpServerSpec = RawConfig["mcp"]["servers"][string];
