import path from "node:path";
import { readCachedConfig, writeCachedConfig } from "../config/config-cache.js";
import { assembleContext, type VigilContext } from "../context/assemble-context.js";
import { resolvePaths } from "../paths/resolve-paths.js";
import type { CliIo } from "./cli-io.js";

/**
 * A verb's context. The config comes from the cache when its bytes (and this code) are unchanged;
 * otherwise yaml and zod are imported, the file is validated (throwing ConfigError as ever) and the
 * result is cached for the next verb.
 */
export async function openCliContext(io: CliIo): Promise<VigilContext> {
  const paths = resolvePaths(io.env);
  const cacheFile = path.join(paths.runDir, "config-cache.json");
  let loaded = readCachedConfig(paths.config, cacheFile, io.env);
  if (!loaded) {
    const { loadConfig } = await import("../config/load-config.js");
    loaded = loadConfig(paths.config, io.env);
    try {
      writeCachedConfig(paths.config, cacheFile, loaded);
    } catch {
      // A cache that cannot be written (read-only home, full disk) only costs the next verb time.
    }
  }
  return assembleContext(paths, loaded, { env: io.env, now: io.now });
}
