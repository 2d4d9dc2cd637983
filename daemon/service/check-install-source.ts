import path from "node:path";

/**
 * Why a service pointing at `script` would not last: a temporary npx cache is pruned by npm, and
 * a source checkout breaks when it is moved, rebuilt or switched to another branch. An installed
 * package (`npm install -g vigil-daemon`) always sits under a node_modules folder.
 */
export function checkInstallSource(script: string): string[] {
  const parts = script.split(path.sep);
  const fix = "install the package (npm install -g vigil-daemon) and run `vigil install` with that `vigil`";
  if (parts.includes("_npx")) return [`the service would run ${script}, in a temporary npx cache that npm prunes: ${fix}`];
  if (!parts.includes("node_modules")) {
    const checkout = parts.slice(0, parts.lastIndexOf("dist")).join(path.sep) || path.dirname(script);
    return [`the service would run ${script}, from a source checkout (${checkout}) that moves, rebuilds and changes branch: ${fix}`];
  }
  return [];
}
