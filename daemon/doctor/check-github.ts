import type { VigilContext } from "../context/open-context.js";
import { createGithubClient } from "../github/create-github-client.js";
import { findGithubToken } from "../github/find-github-token.js";

interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/**
 * Which GitHub token Vigil would use (its source, never the token) and how much rate limit is
 * left — `GET /rate_limit` costs none. Only when something uses GitHub: polling, webhooks or a
 * subscription.
 */
export async function checkGithub(ctx: VigilContext, subscriptions: number): Promise<CheckResult[]> {
  const { github } = ctx.loaded.config;
  if (!github.poll.enabled && !github.webhooks.enabled && subscriptions === 0) return [];
  const found = findGithubToken({ ref: github.token, value: ctx.loaded.secrets.githubToken }, ctx.env);
  if (!found) {
    return [{ name: "github", ok: !github.poll.enabled, detail: "no GitHub token", fix: "export GITHUB_TOKEN (for the service: in service.env), or log in with the GitHub CLI: gh auth login" }];
  }
  try {
    const client = createGithubClient({ token: found.token, apiBaseUrl: github.apiBaseUrl, logger: ctx.logger });
    const { data } = await client.request("GET /rate_limit");
    const core = (data as { resources: { core: { remaining: number; limit: number; reset: number } } }).resources.core;
    return [{ name: "github", ok: true, detail: `token from ${found.source}; rate limit ${core.remaining}/${core.limit} left (resets ${new Date(core.reset * 1000).toISOString()})` }];
  } catch (error) {
    return [{ name: "github", ok: false, detail: `token from ${found.source}, but GitHub refused it: ${(error as Error).message}`, fix: "renew the token (gh auth refresh, or a new GITHUB_TOKEN)" }];
  }
}
