import { z } from "zod";
import type { GithubClient } from "../github/create-github-client.js";
import { callGithub, repoName, splitRepo } from "./github-comment-tool.js";
import { defineTool } from "../toolkit/tool.js";

export function createGithubReviewTool({ github }: { github: () => GithubClient }) {
  return defineTool({
    name: "github_review",
    description: "Submit a review on a pull request: COMMENT, APPROVE or REQUEST_CHANGES, with a body.",
    risk: "external",
    input: z.strictObject({
      repo: repoName,
      number: z.number().int().positive(),
      event: z.enum(["COMMENT", "APPROVE", "REQUEST_CHANGES"]),
      body: z.string().min(1).max(10_000),
    }),
    async run({ repo, number, event, body }) {
      const { data } = await callGithub(`the review on ${repo}#${number}`, () =>
        github().rest.pulls.createReview({ ...splitRepo(repo), pull_number: number, event, body }),
      );
      return { content: `review ${event} submitted: ${data.html_url}` };
    },
  });
}
