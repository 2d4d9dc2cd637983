import type { VigilDatabase } from "../../store/open-database.js";

/** The poller's cache (poll_cache), by key: a URL's validators, and a PR's last snapshot (`pull:REPO#N`). Each put leaves the other column as it was. */
export interface PollCache {
  get(key: string): { etag: string | null; snapshot: string | null } | undefined;
  putEtag(key: string, etag: string | null): void;
  putSnapshot(key: string, snapshot: string): void;
}

export function createPollCache(db: VigilDatabase): PollCache {
  const get = db.prepare<[string], { etag: string | null; snapshot: string | null }>("SELECT etag, snapshot FROM poll_cache WHERE url = ?");
  const putEtag = db.prepare("INSERT INTO poll_cache (url, etag, snapshot) VALUES (?, ?, NULL) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag");
  const putSnapshot = db.prepare("INSERT INTO poll_cache (url, etag, snapshot) VALUES (?, NULL, ?) ON CONFLICT (url) DO UPDATE SET snapshot = excluded.snapshot");
  return {
    get: (key) => get.get(key),
    putEtag: (key, etag) => void putEtag.run(key, etag),
    putSnapshot: (key, snapshot) => void putSnapshot.run(key, snapshot),
  };
}
