import path from "node:path";
import picomatch from "picomatch";

/** Never worth an event: version control, dependencies, build output, editor swap and backup files. */
const IGNORED_DIRS = new Set([".git", ".hg", ".svn", "node_modules", "dist", "build", ".cache", "__pycache__"]);
const IGNORED_FILES = [/\.sw[a-p]$/, /~$/, /^\.#/, /^#.*#$/, /^4913$/, /\.tmp$/, /^\.DS_Store$/];

/**
 * The ignore test for one watch root: the defaults, the root's own `ignore` globs (matched against
 * the path relative to the root), and everything under `$VIGIL_HOME`, so Vigil's own writes never
 * wake it.
 */
export function createIgnoreTest(root: string, globs: readonly string[], vigilHome: string): (file: string) => boolean {
  const matchers = globs.map((glob) => picomatch(glob, { dot: true }));
  const home = path.resolve(vigilHome);
  return (file) => {
    const absolute = path.resolve(file);
    if (absolute === home || absolute.startsWith(home + path.sep)) return true;
    const relative = path.relative(root, absolute);
    if (relative.startsWith("..")) return false;
    const parts = relative.split(path.sep);
    if (parts.some((part) => IGNORED_DIRS.has(part))) return true;
    if (IGNORED_FILES.some((pattern) => pattern.test(parts.at(-1) ?? ""))) return true;
    return matchers.some((match) => match(relative) || match(`${relative}/`));
  };
}
