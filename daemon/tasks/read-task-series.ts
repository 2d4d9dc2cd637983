import { runGit, runGitBytes, TaskGitError } from "./run-git.js";

/** One commit of a task as `git am` takes it. */
export interface TaskPatch {
  commit: string;
  subject: string;
  /** `git format-patch` output for this commit, byte for byte. */
  patch: Buffer;
}

export type TaskSeries = { stored: true; patches: TaskPatch[]; bytes: number } | { stored: false; reason: string };

/** The most a task's series may take in the store: a fix is kilobytes; this is a task that committed what it should not have. */
export const MAX_SERIES_BYTES = 8 * 1024 * 1024;

/**
 * format-patch as `git am --keep` reads it back whatever the user's config says: a/ and b/ prefixes
 * (not diff.noprefix), full blob ids (so a 3-way apply finds the bases), binary files included,
 * subjects kept as written, one plain mbox (no cover letter, MIME, signature, notes or threading).
 */
const FORMAT_PATCH = [
  "format-patch", "--stdout", "--keep-subject", "--no-signature", "--no-color", "--full-index", "--binary",
  "--src-prefix=a/", "--dst-prefix=b/", "--no-cover-letter", "--no-attach", "--no-thread", "--no-signoff", "--no-notes", "--no-base",
];

/**
 * The commits `base..head` of a task's branch as a patch series, in the order they apply. Never
 * throws: what cannot be stored (a merge, a branch that left its base, over MAX_SERIES_BYTES, a git
 * failure) is a reason instead. Commits that change nothing carry no patch and are left out.
 */
export function readTaskSeries(dir: string, base: string, head: string, env?: NodeJS.ProcessEnv, maxBytes = MAX_SERIES_BYTES): TaskSeries {
  try {
    if (!_descends(dir, base, head, env)) return { stored: false, reason: `its branch no longer descends from the base commit ${base.slice(0, 12)}` };
    const commits = _commits(dir, base, head, env);
    const merge = commits.find((commit) => commit.parents > 1);
    if (merge) return { stored: false, reason: `commit ${merge.commit.slice(0, 12)} is a merge, which a patch series cannot carry` };
    const mbox = runGitBytes(dir, [...FORMAT_PATCH, `${base}..${head}`], env, { maxBytes });
    const patches = _split(mbox, commits);
    return { stored: true, patches, bytes: mbox.length };
  } catch (error) {
    if (error instanceof TaskGitError && error.overflow) return { stored: false, reason: `its patches come to more than ${_mib(maxBytes)} (the most a task's series may take in the store)` };
    return { stored: false, reason: (error as Error).message.split("\n")[0]! };
  }
}

function _descends(dir: string, base: string, head: string, env?: NodeJS.ProcessEnv): boolean {
  try {
    runGit(dir, ["merge-base", "--is-ancestor", base, head], env);
    return true;
  } catch {
    return false;
  }
}

function _commits(dir: string, base: string, head: string, env?: NodeJS.ProcessEnv): Array<{ commit: string; parents: number; subject: string }> {
  return runGit(dir, ["log", "--format=%H%x00%P%x00%s", `${base}..${head}`], env)
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [commit = "", parents = "", subject = ""] = line.split("\0");
      return { commit, parents: parents.split(" ").filter(Boolean).length, subject };
    });
}

/** Each patch begins at its commit's mbox separator line; a commit with no such line changed nothing. */
function _split(mbox: Buffer, commits: ReadonlyArray<{ commit: string; subject: string }>): TaskPatch[] {
  const starts = commits
    .map((commit) => ({ ...commit, at: mbox.indexOf(`From ${commit.commit} Mon Sep 17 00:00:00 2001\n`) }))
    .filter((commit) => commit.at >= 0)
    .sort((a, b) => a.at - b.at);
  if ((starts[0]?.at ?? 0) !== 0 || (starts.length === 0 && mbox.length > 0)) throw new Error("git format-patch wrote something other than the task's commits");
  return starts.map((start, i) => ({ commit: start.commit, subject: start.subject, patch: mbox.subarray(start.at, starts[i + 1]?.at ?? mbox.length) }));
}

function _mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
