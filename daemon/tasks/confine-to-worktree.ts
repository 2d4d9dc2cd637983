import path from "node:path";
import { ToolError } from "../toolkit/tool.js";
import { resolveInWorkspace } from "../tools/workspace/resolve-in-workspace.js";

/**
 * A path the worker gave, resolved inside its worktree (after every symlink) or refused. `.git`
 * is refused too: it points into the user's repository, which the worker must never reach.
 */
export function confineToWorktree(worktree: string, requested: string): string {
  const real = resolveInWorkspace([worktree], requested);
  const root = resolveInWorkspace([worktree], ".");
  const first = path.relative(root, real).split(path.sep)[0];
  if (first === ".git") throw new ToolError(`"${requested}" is inside .git, which tasks may not touch`);
  return real;
}
