import { writeFileSync } from "node:fs";
import path from "node:path";
import { git } from "./task-repo.js";

export interface PullRequestRemote {
  /** The bare repository, the user's `origin`. */
  remote: string;
  /** The pull request's head commit. */
  head: string;
  /** The contributor's clone, whose HEAD is pushed as the PR (to push more to it). */
  contributor: string;
}

/**
 * A bare `origin` for the user's checkout, holding its main and pull request `number` as GitHub
 * keeps one: a contributor's commit adding `files`, pushed to `refs/pull/N/head`. The PR sits on a
 * commit the remote has tagged and the user has not fetched, and the user's clone maps
 * `refs/pull/*` to remote-tracking refs (a common setup), so a fetch that takes more than the
 * PR's head shows in the user's refs.
 */
export function makePullRequestRemote(repo: string, number: number, files: Record<string, string>): PullRequestRemote {
  const parent = path.dirname(repo);
  const remote = path.join(parent, "remote.git");
  git(parent, "init", "--quiet", "--bare", "--initial-branch=main", remote);
  git(repo, "remote", "add", "origin", remote);
  git(repo, "config", "--add", "remote.origin.fetch", "+refs/pull/*/head:refs/remotes/origin/pr/*");
  git(repo, "push", "--quiet", "origin", "main");
  const contributor = path.join(parent, "contributor");
  git(parent, "clone", "--quiet", remote, contributor);
  git(contributor, "commit", "--quiet", "--allow-empty", "-m", "release prep");
  git(contributor, "tag", "v1.1");
  git(contributor, "push", "--quiet", "origin", "v1.1");
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(contributor, name), content);
  git(contributor, "add", "-A");
  git(contributor, "commit", "--quiet", "-m", `PR #${number}: ${Object.keys(files).join(", ")}`);
  git(contributor, "push", "--quiet", "origin", `HEAD:refs/pull/${number}/head`);
  return { remote, head: git(contributor, "rev-parse", "HEAD").trim(), contributor };
}
