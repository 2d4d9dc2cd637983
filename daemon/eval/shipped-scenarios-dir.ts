import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The scenarios shipped with the package (`daemon/eval/scenarios/`, listed in package.json
 * `files`): found from this module, whether it runs from `dist/` or from the sources.
 */
export function shippedScenariosDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "daemon", "eval", "scenarios");
    if (existsSync(path.join(dir, "package.json")) && existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`the shipped scenarios were not found above ${from}: reinstall vigil, or pass --scenarios DIR`);
  }
}
