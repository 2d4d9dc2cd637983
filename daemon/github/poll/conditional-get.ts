import type { VigilDatabase } from "../../store/open-database.js";
import type { GithubClient } from "../create-github-client.js";
import { readRateLimitDelay } from "../read-rate-limit-delay.js";
import { createPollCache } from "./poll-cache.js";

export interface PollReport {
  requests: number;
  notModified: number;
  queued: number;
  /** When to poll next: the configured interval, or longer when GitHub asks. */
  nextDelayMs: number;
}

export type ConditionalGet = (route: string, params: Record<string, unknown>) => Promise<unknown>;

/**
 * A GET that GitHub can answer with 304 — which costs no rate limit — because it carries the
 * ETag (`If-None-Match`) and the Last-Modified date (`If-Modified-Since`, what the Notifications
 * API uses) of the last answer to the same URL. Undefined when nothing changed. Every answer's
 * `X-Poll-Interval`, `Retry-After` and an exhausted rate limit stretch the next poll.
 */
export function createConditionalGet(db: VigilDatabase, github: () => Promise<GithubClient>, report: PollReport, now: () => Date): ConditionalGet {
  const cache = createPollCache(db);
  return async (route, params) => {
    const url = _expand(route, params);
    const validators = _parseValidators(cache.get(url)?.etag ?? null);
    report.requests++;
    try {
      const headers: Record<string, string> = {};
      if (validators.etag) headers["if-none-match"] = validators.etag;
      if (validators.lastModified) headers["if-modified-since"] = validators.lastModified;
      const response = await (await github()).request(`GET ${route}`, { ...params, headers });
      report.nextDelayMs = Math.max(report.nextDelayMs, readRateLimitDelay(response.headers, now()));
      cache.putEtag(url, _formatValidators(response.headers.etag as string | undefined, response.headers["last-modified"] as string | undefined));
      return response.data;
    } catch (error) {
      const { status, response } = error as { status?: number; response?: { headers: Record<string, string | undefined> } };
      if (response) report.nextDelayMs = Math.max(report.nextDelayMs, readRateLimitDelay(response.headers, now()));
      if (status === 304) {
        report.notModified++;
        return undefined;
      }
      throw error;
    }
  };
}

/** The concrete URL a route names, the key its validators are kept under. */
function _expand(route: string, params: Record<string, unknown>): string {
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  const query = Object.entries(params).filter(([name]) => !route.includes(`{${name}}`));
  return query.length ? `${path}?${query.map(([name, value]) => `${name}=${String(value)}`).join("&")}` : path;
}

/** Both validators share the `etag` column: an ETag as it came, or `lm:DATE` / `ETAG\nlm:DATE`. */
function _formatValidators(etag: string | undefined, lastModified: string | undefined): string | null {
  return [etag, lastModified && `lm:${lastModified}`].filter(Boolean).join("\n") || null;
}

function _parseValidators(stored: string | null): { etag?: string; lastModified?: string } {
  const lines = (stored ?? "").split("\n").filter(Boolean);
  const lastModified = lines.find((line) => line.startsWith("lm:"))?.slice(3);
  const etag = lines.find((line) => !line.startsWith("lm:"));
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}
