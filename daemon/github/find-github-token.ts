import { spawnSync } from "node:child_process";

export interface GithubToken {
  token: string;
  /** Where it came from, for `vigil doctor` (never the token itself). */
  source: string;
}

export type RunGh = (env: NodeJS.ProcessEnv) => string | undefined;

/**
 * The token Vigil talks to GitHub with: `github.token` (default env:GITHUB_TOKEN) when set, else
 * the GitHub CLI's own (`gh auth token`) when gh is installed and logged in — so a laptop with gh
 * needs no token copied anywhere.
 */
export function findGithubToken(configured: { ref: string | undefined; value: string | undefined }, env: NodeJS.ProcessEnv, runGh: RunGh = _runGh): GithubToken | undefined {
  if (configured.value) return { token: configured.value, source: `github.token (${configured.ref})` };
  const fromGh = runGh(env)?.trim();
  return fromGh ? { token: fromGh, source: "the GitHub CLI (gh auth token)" } : undefined;
}

function _runGh(env: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync("gh", ["auth", "token"], { env, encoding: "utf8", timeout: 5_000 });
  return result.status === 0 ? result.stdout : undefined;
}
