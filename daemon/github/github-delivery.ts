import type { RawConfig } from "../config/config-schema.js";

/** How GitHub events for subscriptions reach the daemon, in words for `subscribe` and `doctor`. */
export type GithubDelivery = { ok: true; how: string } | { ok: false; why: string; fix: string };

export const NOTHING_DELIVERS_FIX = "enable github.poll (with a token: GITHUB_TOKEN or gh auth login) or github.webhooks in config.yaml; on a laptop, see the README's \"GitHub on a laptop\"";

export function describeGithubDelivery(config: Pick<RawConfig, "github" | "server">, hasToken: boolean): GithubDelivery {
  const { webhooks, poll } = config.github;
  const ways: string[] = [];
  if (webhooks.enabled) ways.push(`webhooks at http://${config.server.host}:${config.server.port}${webhooks.path} (GitHub must reach it: a relay such as smee forwards to a laptop)`);
  if (poll.enabled && hasToken) ways.push(`polling the GitHub API every ${poll.intervalSeconds} s`);
  if (ways.length) return { ok: true, how: ways.join(", and ") };
  return poll.enabled
    ? { ok: false, why: "github.poll is on but there is no GitHub token", fix: "export the variable github.token names (default GITHUB_TOKEN), or log in with the GitHub CLI (gh auth login)" }
    : { ok: false, why: "nothing delivers them yet: github.poll and github.webhooks are both off", fix: NOTHING_DELIVERS_FIX };
}
