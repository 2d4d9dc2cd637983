import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { ToolError } from "../../toolkit/tool.js";

/**
 * Where a path the model gave really points, refused unless it is inside a workspace root after
 * every symlink is resolved. Relative paths start at the first root. Nothing is decoded or
 * expanded (`~`, `%2e`), so no spelling reaches outside; a path that does not exist yet (a write)
 * is judged by its nearest existing parent.
 */
export function resolveInWorkspace(roots: readonly string[], requested: string): string {
  if (roots.length === 0) throw new ToolError("no workspace is configured: the user sets tools.workspace in config.yaml");
  if (requested.includes("\0")) throw new ToolError("the path contains a NUL byte");
  if (requested.startsWith("~")) throw new ToolError(`"${requested}": ~ is not expanded; give a path inside the workspace (${roots.join(", ")})`);
  const realRoots = roots.map((root) => _realpath(root));
  const absolute = path.resolve(realRoots[0]!, requested);
  const real = _realpathOfNearestExisting(absolute);
  if (!realRoots.some((root) => real === root || real.startsWith(root + path.sep))) {
    throw new ToolError(`"${requested}" is outside the workspace (${roots.join(", ")}); only paths inside it can be used`);
  }
  return real;
}

function _realpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** realpath of the longest existing prefix, with the missing rest appended. */
function _realpathOfNearestExisting(absolute: string): string {
  let existing = absolute;
  const rest: string[] = [];
  while (!existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  return path.join(realpathSync(existing), ...rest);
}
