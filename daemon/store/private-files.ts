import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";

/** Everything under VIGIL_HOME is the user's alone, whatever the umask (DESIGN.md, "Files"). */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** A directory (and any missing parents below an existing one) created 0700. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * VIGIL_HOME itself: its parents (`~/.local/share`) are the user's business and keep their
 * usual modes; the home is created 0700.
 */
export function makePrivateHome(home: string): void {
  mkdirSync(path.dirname(home), { recursive: true });
  makePrivateDir(home);
}

export interface ModeProblem {
  /** Relative to the home ("" is the home itself). */
  path: string;
  mode: number;
  wanted: number;
}

/**
 * Every entry under `home` that group or others can reach. Symlinks are not followed (a
 * worktree's link is not ours to change); a missing home has no problems.
 */
export function findWideModes(home: string): ModeProblem[] {
  const problems: ModeProblem[] = [];
  const visit = (relative: string) => {
    const full = path.join(home, relative);
    let stat;
    try {
      stat = lstatSync(full);
    } catch {
      return; // gone between readdir and lstat, or no home yet
    }
    if (stat.isSymbolicLink()) return;
    const mode = stat.mode & 0o777;
    if (mode & 0o077) problems.push({ path: relative, mode, wanted: stat.isDirectory() ? PRIVATE_DIR_MODE : mode & 0o700 });
    if (stat.isDirectory()) for (const name of readdirSync(full)) visit(path.join(relative, name));
  };
  visit("");
  return problems;
}

/** Takes group and other bits off everything under `home`; returns what it changed. */
export function tightenPrivateTree(home: string): ModeProblem[] {
  const problems = findWideModes(home);
  for (const problem of problems) chmodSync(path.join(home, problem.path), problem.wanted);
  return problems;
}

/** `0644`, as `ls` and chmod speak. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}
