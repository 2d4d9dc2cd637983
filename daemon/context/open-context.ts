import { loadConfig, type LoadedConfig } from "../config/load-config.js";
import { withServiceEnv } from "../config/service-env.js";
import { resolvePaths } from "../paths/resolve-paths.js";
import { assembleContext, type ContextOptions, type VigilContext } from "./assemble-context.js";

export type { ContextOptions, VigilContext } from "./assemble-context.js";

/**
 * Loads config (throws ConfigError) unless one is given (`loaded`: `vigil status` with a broken
 * file runs on the defaults), opens the database and the journal. The environment is the
 * process's over `$VIGIL_HOME/service.env`: what the service sees too.
 */
export function openContext(options: ContextOptions & { loaded?: LoadedConfig } = {}): VigilContext {
  const paths = resolvePaths(options.env ?? process.env);
  const env = withServiceEnv(options.env ?? process.env, paths.home);
  return assembleContext(paths, options.loaded ?? loadConfig(paths.config, env), { ...options, env });
}
