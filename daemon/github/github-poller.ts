import type { GithubClient } from "./create-github-client.js";
import { normalizeGithubEvent, type GithubChange } from "./normalize-github-event.js";
import type { SubscriptionStore } from "./subscriptions.js";
import { takeInGithubChange, type GithubIntakeDeps } from "./take-in-github-change.js";
import { readRateLimitDelay } from "./read-rate-limit-delay.js";

type Pull = Record<string, any>;

export interface PollReport {
  requests: number;
  notModified: number;
  queued: number;
  /** When to poll next: the configured interval, or longer when GitHub asks. */
  nextDelayMs: number;
}

export interface GithubPoller {
  pollOnce(): Promise<PollReport>;
}

/**
 * Polling for machines without a public URL: each followed PR (and the open PRs of followed
 * repositories) and the check runs of its head, with conditional requests so unchanged answers
 * cost no rate limit. Changes become the same normalized events as webhooks, with the same keys.
 */
export function createGithubPoller(deps: GithubIntakeDeps & { github: () => Promise<GithubClient>; subscriptions: SubscriptionStore; intervalSeconds: number }): GithubPoller {
  const getCache = deps.db.prepare<[string], { etag: string | null; snapshot: string | null }>("SELECT etag, snapshot FROM poll_cache WHERE url = ?");
  const putCache = deps.db.prepare("INSERT INTO poll_cache (url, etag, snapshot) VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, snapshot = excluded.snapshot");

  return {
    async pollOnce() {
      const report = { requests: 0, notModified: 0, queued: 0, nextDelayMs: deps.intervalSeconds * 1000 };
      /** A conditional GET; undefined when GitHub says nothing changed (304). */
      const fetchIfChanged = async (route: string, params: Record<string, unknown>): Promise<unknown> => {
        const url = _expand(route, params);
        const cached = getCache.get(url);
        report.requests++;
        try {
          const response = await (await deps.github()).request(`GET ${route}`, { ...params, headers: cached?.etag ? { "if-none-match": cached.etag } : {} });
          report.nextDelayMs = Math.max(report.nextDelayMs, readRateLimitDelay(response.headers, deps.now()));
          putCache.run(url, (response.headers.etag as string | undefined) ?? null, cached?.snapshot ?? null);
          return response.data;
        } catch (error) {
          const { status, response } = error as { status?: number; response?: { headers: Record<string, string | undefined> } };
          if (response) report.nextDelayMs = Math.max(report.nextDelayMs, readRateLimitDelay(response.headers, deps.now()));
          if (status === 304) {
            report.notModified++;
            return undefined;
          }
          throw error;
        }
      };
      const takeIn = (change: GithubChange | undefined) => {
        if (change && takeInGithubChange(deps, change).queued) report.queued++;
      };

      for (const sub of deps.subscriptions.list()) {
        const [owner, repo] = sub.repo.split("/") as [string, string];
        const pulls: Pull[] = sub.number
          ? [await fetchIfChanged("/repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: sub.number })].filter(Boolean) as Pull[]
          : ((await fetchIfChanged("/repos/{owner}/{repo}/pulls", { owner, repo, state: "open", per_page: 50 })) as Pull[] | undefined) ?? [];
        for (const pull of pulls) {
          const key = `pull:${sub.repo}#${pull.number}`;
          const before = getCache.get(key)?.snapshot;
          for (const action of _pullChanges(before ? (JSON.parse(before) as Pull) : undefined, pull)) {
            takeIn(normalizeGithubEvent("pull_request", { action, pull_request: pull, repository: { full_name: sub.repo }, sender: pull.user }));
          }
          putCache.run(key, null, JSON.stringify({ head: { sha: pull.head?.sha }, state: pull.state, draft: pull.draft }));
          if (pull.state === "open" && pull.head?.sha) deps.subscriptions.recordHead(sub.repo, pull.number, pull.head.sha);
        }
      }
      // Checks finish while the PR itself is unchanged (a 304 above): poll them for every open followed head.
      for (const head of deps.subscriptions.heads()) {
        const snapshot = getCache.get(`pull:${head.repo}#${head.number}`)?.snapshot;
        if (!deps.subscriptions.covers(head.repo, head.number) || !snapshot || (JSON.parse(snapshot) as Pull).state !== "open") continue;
        const [owner, repo] = head.repo.split("/") as [string, string];
        const checks = (await fetchIfChanged("/repos/{owner}/{repo}/commits/{ref}/check-runs", { owner, repo, ref: head.headSha })) as { check_runs?: Pull[] } | undefined;
        for (const run of checks?.check_runs ?? []) {
          if (run.status !== "completed") continue;
          const checkRun = { ...run, pull_requests: [{ number: head.number }] };
          takeIn(normalizeGithubEvent("check_run", { action: "completed", check_run: checkRun, repository: { full_name: head.repo }, sender: { login: run.app?.slug ?? "github" } }));
        }
      }
      return report;
    },
  };
}

/** The concrete URL a route names, the key its ETag is kept under. */
function _expand(route: string, params: Record<string, unknown>): string {
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  const query = Object.entries(params).filter(([name]) => !route.includes(`{${name}}`));
  return query.length ? `${path}?${query.map(([name, value]) => `${name}=${String(value)}`).join("&")}` : path;
}

/** The webhook actions a polled PR implies, compared with what the last poll saw. */
function _pullChanges(before: Pull | undefined, now: Pull): string[] {
  if (!before) return now.state === "open" ? ["opened"] : ["closed"];
  const actions: string[] = [];
  if (now.head?.sha !== before.head?.sha) actions.push("synchronize");
  if (before.draft && !now.draft) actions.push("ready_for_review");
  if (before.state === "open" && now.state !== "open") actions.push("closed");
  return actions;
}
