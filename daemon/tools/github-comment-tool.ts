import { z } from "zod";
import type { GithubClient } from "../github/create-github-client.js";
import { defineTool, ToolError } from "../toolkit/tool.js";

export const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "must be OWNER/REPO" });

/** Runs a GitHub call and turns an API failure into a tool error the model can read. */
export async function callGithub<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new ToolError(`GitHub refused ${what}${status ? ` (HTTP ${status})` : ""}: ${(error as Error).message}`);
  }
}

export function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split("/") as [string, string];
  return { owner, repo: name };
}

export function createGithubCommentTool({ github }: { github: () => GithubClient }) {
  return defineTool({
    name: "github_comment",
    description: "Post a comment on a pull request (or issue) the user follows. It is public and signed as the user: be brief and useful.",
    risk: "external",
    input: z.strictObject({ repo: repoName, number: z.number().int().positive(), body: z.string().min(1).max(10_000) }),
    async run({ repo, number, body }) {
      const { data } = await callGithub(`the comment on ${repo}#${number}`, () =>
        github().rest.issues.createComment({ ...splitRepo(repo), issue_number: number, body }),
      );
      return { content: `commented: ${data.html_url}` };
    },
  });
}
