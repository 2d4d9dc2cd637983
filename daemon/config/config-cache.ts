import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { VERSION } from "../version.js";
import type { RawConfig } from "./config-schema.js";
import type { LoadedConfig } from "./load-config.js";
import { resolveSecrets } from "./resolve-secrets.js";
import { makeLoadedConfig } from "./make-loaded-config.js";

interface CacheEntry {
  key: string;
  config: RawConfig;
}

/**
 * What makes a validated config reusable: the file's bytes, and the code that validated them
 * (this version, and the built schema module's mtime, so a rebuild with new defaults misses).
 * Undefined when the schema module is not a built file (tests run the sources): no caching then.
 */
function _cacheKey(file: string, textHash: string): string | undefined {
  const schema = statSync(new URL("./config-schema.js", import.meta.url), { throwIfNoEntry: false });
  if (!schema) return undefined;
  return createHash("sha256").update(JSON.stringify([VERSION, schema.mtimeMs, file, textHash])).digest("hex");
}

/**
 * A one-shot verb's config without loading yaml and zod (most of its start-up time): the last
 * validation of these exact bytes, if this code made it. Secrets are resolved from `env` each time;
 * only the validated config is kept. Undefined on any miss.
 */
export function readCachedConfig(file: string, cacheFile: string, env: NodeJS.ProcessEnv): LoadedConfig | undefined {
  const text = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  const hash = createHash("sha256").update(text ?? "").digest("hex");
  const key = _cacheKey(file, hash);
  if (!key || !existsSync(cacheFile)) return undefined;
  let entry: CacheEntry;
  try {
    entry = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheEntry;
  } catch {
    return undefined; // a torn or edited cache is only a miss
  }
  if (entry.key !== key) return undefined;
  return makeLoadedConfig({
    config: entry.config,
    secrets: resolveSecrets(entry.config, env),
    file: text === undefined ? undefined : file,
    hash,
  });
}

/** Remembers a config this code just validated from `file` (0600 in a 0700 folder, like everything under VIGIL_HOME). */
export function writeCachedConfig(file: string, cacheFile: string, loaded: LoadedConfig): void {
  const key = _cacheKey(file, loaded.hash);
  if (!key) return;
  mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ key, config: loaded.config } satisfies CacheEntry)}\n`, { mode: 0o600 });
  renameSync(temporary, cacheFile);
}
