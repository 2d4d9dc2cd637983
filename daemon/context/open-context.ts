import { loadConfig, type LoadedConfig } from "../config/load-config.js";
import { resolvePaths } from "../paths/resolve-paths.js";
import { assembleContext, type ContextOptions, type VigilContext } from "./assemble-context.js";

export type { ContextOptions, VigilContext } from "./assemble-context.js";

/** Loads config (throws ConfigError) unless one is given (`loaded`: `vigil status` with a broken file runs on the defaults), opens the database and the journal. */
export function openContext(options: ContextOptions & { loaded?: LoadedConfig } = {}): VigilContext {
  const env = options.env ?? process.env;
  const paths = resolvePaths(env);
  return assembleContext(paths, options.loaded ?? loadConfig(paths.config, env), options);
}
