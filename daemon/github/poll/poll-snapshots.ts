import type { VigilDatabase } from "../../store/open-database.js";
import { createPollCache } from "./poll-cache.js";

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
  const cache = createPollCache(db);
  const key = (repo: string, number: number) => `pull:${repo}#${number}`;
  return {
    get(repo: string, number: number): PullSnapshot | undefined {
      const row = cache.get(key(repo, number));
      return row?.snapshot ? (JSON.parse(row.snapshot) as PullSnapshot) : undefined;
    },
    put(repo: string, number: number, snapshot: PullSnapshot): void {
      cache.putSnapshot(key(repo, number), JSON.stringify(snapshot));
    },
  };
}

export type SnapshotStore = ReturnType<typeof createSnapshotStore>;
