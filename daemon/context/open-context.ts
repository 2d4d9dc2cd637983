import { loadConfig } from "../config/load-config.js";
import { resolvePaths } from "../paths/resolve-paths.js";
import { assembleContext, type ContextOptions, type VigilContext } from "./assemble-context.js";

export type { ContextOptions, VigilContext } from "./assemble-context.js";

/** Loads config (throws ConfigError), opens the database and the journal. */
export function openContext(options: ContextOptions = {}): VigilContext {
  const env = options.env ?? process.env;
  const paths = resolvePaths(env);
  return assembleContext(paths, loadConfig(paths.config, env), options);
}
