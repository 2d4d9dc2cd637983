import path from "node:path";
import { readCachedConfig, writeCachedConfig } from "../config/config-cache.js";
import { assembleContext, type VigilContext } from "../context/assemble-context.js";
import { resolvePaths, type VigilPaths } from "../paths/resolve-paths.js";
import type { LoadedConfig } from "../config/load-config.js";
import { withServiceEnv } from "../config/service-env.js";
import type { CliIo } from "./cli-io.js";

/**
 * A verb's context. The config comes from the cache when its bytes (and this code) are unchanged;
 * otherwise yaml and zod are imported, the file is validated (throwing ConfigError as ever) and the
 * result is cached for the next verb.
 */
export async function openCliContext(io: CliIo): Promise<VigilContext> {
  const { paths, loaded, env } = await loadCliConfig(io);
  return assembleContext(paths, loaded, { env, now: io.now });
}

/** The config a verb runs on, as openCliContext reads it, for a verb that opens the store itself (vigil tell). */
export async function loadCliConfig(io: CliIo): Promise<{ paths: VigilPaths; loaded: LoadedConfig; env: NodeJS.ProcessEnv }> {
  const paths = resolvePaths(io.env);
  // What the service sees: the shell's environment over $VIGIL_HOME/service.env.
  const env = withServiceEnv(io.env, paths.home);
  const cacheFile = path.join(paths.runDir, "config-cache.json");
  let loaded = readCachedConfig(paths.config, cacheFile, env);
  if (!loaded) {
    const { loadConfig } = await import("../config/load-config.js");
    loaded = loadConfig(paths.config, env);
    try {
      writeCachedConfig(paths.config, cacheFile, loaded);
    } catch {
      // A cache that cannot be written (read-only home, full disk) only costs the next verb time.
    }
  }
  return { paths, loaded, env };
}
