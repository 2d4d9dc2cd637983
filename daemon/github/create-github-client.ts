import type { Octokit } from "@octokit/rest";
import type { Logger } from "../logger/create-logger.js";
import { VERSION } from "../version.js";

export type GithubClient = Octokit;

/**
 * REST client for `github.apiBaseUrl` (GitHub Enterprise works), token from `github.token`.
 * Octokit is imported on first use: a daemon that never talks to GitHub never loads it.
 */
export async function createGithubClient({ token, apiBaseUrl, logger }: { token: string | undefined; apiBaseUrl: string; logger: Logger }): Promise<GithubClient> {
  const { Octokit } = await import("@octokit/rest");
  return new Octokit({
    auth: token,
    baseUrl: apiBaseUrl.replace(/\/+$/, ""),
    userAgent: `vigil/${VERSION}`,
    log: { debug: () => {}, info: () => {}, warn: (message: string) => logger.warn(message), error: (message: string) => logger.error(message) },
  });
}
