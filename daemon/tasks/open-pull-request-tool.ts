import { z } from "zod";
import type { GithubClient } from "../github/create-github-client.js";
import type { VigilDatabase } from "../store/open-database.js";
import { callGithub, splitRepo } from "../tools/github-comment-tool.js";
import { defineTool, ToolError } from "../toolkit/tool.js";
import { findDoneTaskAction } from "./find-done-action.js";
import { finishedTask, taskId } from "./push-task-branch-tool.js";
import { runGit } from "./run-git.js";
import type { TaskRecord, TaskStore } from "./task-store.js";

/** `open_pull_request`: a pull request from a pushed task branch, through the REST API, once per task. */
export function createOpenPullRequestTool({ db, store, github, env }: { db: VigilDatabase; store: TaskStore; github: () => GithubClient; env: NodeJS.ProcessEnv }) {
  return defineTool({
    name: "open_pull_request",
    description: "Open a pull request from a done task's pushed branch (push_task_branch first). Done at most once per task.",
    risk: "external",
    input: z.strictObject({ task: taskId, title: z.string().min(1).max(256), body: z.string().max(60_000) }),
    async run({ task: id, title, body }) {
      const earlier = findDoneTaskAction(db, "open_pull_request", id);
      if (earlier) return { content: `a pull request for task #${id} was already opened (${earlier.state}: ${earlier.outcome ?? "no outcome recorded"}); not opened again`, repeated: true };
      const task = finishedTask(store, id);
      if (!findDoneTaskAction(db, "push_task_branch", id)) throw new ToolError(`task #${id}'s branch is not pushed yet: call push_task_branch first`);
      const repo = _githubRepo(task, env);
      const base = await _baseBranch(github, repo, task, env);
      const { data } = await callGithub(`the pull request for task #${id}`, () => github().rest.pulls.create({ ...splitRepo(repo), title, body, head: task.branch, base }));
      return { content: `opened pull request #${data.number}: ${data.html_url}` };
    },
  });
}

/** owner/name: the task's repo when it is one, else parsed from origin's URL. */
function _githubRepo(task: TaskRecord, env: NodeJS.ProcessEnv): string {
  if (/^[\w.-]+\/[\w.-]+$/.test(task.repo)) return task.repo;
  const url = runGit(task.repoDir, ["remote", "get-url", "origin"], env).trim();
  const match = /[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url);
  if (!match) throw new ToolError(`origin of ${task.repoDir} (${url}) does not look like a GitHub repository`);
  return `${match[1]}/${match[2]}`;
}

/** The branch the task started from, when it was one; else the repository's default branch. */
async function _baseBranch(github: () => GithubClient, repo: string, task: TaskRecord, env: NodeJS.ProcessEnv): Promise<string> {
  if (task.ref && !task.ref.startsWith("pr:")) {
    try {
      runGit(task.repoDir, ["show-ref", "--verify", "--quiet", `refs/heads/${task.ref}`], env);
      return task.ref;
    } catch {
      // a commit, not a branch
    }
  }
  const { data } = await callGithub(`the repository ${repo}`, () => github().rest.repos.get(splitRepo(repo)));
  return data.default_branch;
}
