import type { VigilDatabase } from "../../store/open-database.js";

/** What the last poll saw of one PR; the next poll's changes are the differences. */
export interface PullSnapshot {
  head: string | null;
  state: string;
  draft: boolean;
  updatedAt: string | null;
  reviewers: string[];
  /** Conversation seen up to here (GitHub's time): newer comments and reviews are new events. */
  conversationSince: string | null;
  /** When this head was first seen (our clock), and whether all its check runs had finished. */
  headSeenAt: string;
  checksSettled: boolean;
  title: string | null;
  url: string | null;
}

/** Snapshots live in poll_cache under `pull:REPO#N`, beside the URLs' validators. */
export function createSnapshotStore(db: VigilDatabase) {
  const get = db.prepare<[string], { snapshot: string | null }>("SELECT snapshot FROM poll_cache WHERE url = ?");
  const put = db.prepare("INSERT INTO poll_cache (url, etag, snapshot) VALUES (?, NULL, ?) ON CONFLICT (url) DO UPDATE SET snapshot = excluded.snapshot");
  const key = (repo: string, number: number) => `pull:${repo}#${number}`;
  return {
    get(repo: string, number: number): PullSnapshot | undefined {
      const row = get.get(key(repo, number));
      return row?.snapshot ? (JSON.parse(row.snapshot) as PullSnapshot) : undefined;
    },
    put(repo: string, number: number, snapshot: PullSnapshot): void {
      put.run(key(repo, number), JSON.stringify(snapshot));
    },
  };
}

export type SnapshotStore = ReturnType<typeof createSnapshotStore>;
