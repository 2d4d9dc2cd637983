import type { VigilDatabase } from "../store/open-database.js";
import type { SubscriptionRef } from "./subscription-ref.js";

export interface Subscription extends SubscriptionRef {
  origin: "config" | "cli" | "agent";
  createdAt: string;
}

/** Which pull requests Vigil follows, persisted; and the head commit of each, to match CI events. */
export interface SubscriptionStore {
  add(ref: SubscriptionRef, origin: Subscription["origin"], now: Date): boolean;
  /** Adds config subscriptions never seen before; one that ended (a merged PR) stays ended. */
  addFromConfig(refs: readonly SubscriptionRef[], now: Date): void;
  /** Ends an active subscription; returns false when there was none. */
  end(ref: SubscriptionRef, reason: string, now: Date): boolean;
  list(): Subscription[];
  /** A PR is followed when it, or its whole repository, is subscribed. */
  covers(repo: string, number: number | null): boolean;
  recordHead(repo: string, number: number, headSha: string): void;
  /** Every known PR head. */
  heads(): Array<{ repo: string; number: number; headSha: string }>;
  /** The followed PRs whose head is this commit (for check runs and statuses). */
  pullsWithHead(repo: string, headSha: string): number[];
}

export function createSubscriptionStore(db: VigilDatabase): SubscriptionStore {
  const add = db.prepare(`INSERT INTO subscriptions (repo, number, origin, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (repo, number) DO UPDATE SET origin = excluded.origin, created_at = excluded.created_at, ended_at = NULL, end_reason = NULL
    WHERE subscriptions.ended_at IS NOT NULL`);
  const addNew = db.prepare("INSERT INTO subscriptions (repo, number, origin, created_at) VALUES (?, ?, 'config', ?) ON CONFLICT (repo, number) DO NOTHING");
  const end = db.prepare("UPDATE subscriptions SET ended_at = ?, end_reason = ? WHERE repo = ? AND number = ? AND ended_at IS NULL");
  const list = db.prepare<[], Subscription>("SELECT repo, number, origin, created_at AS createdAt FROM subscriptions WHERE ended_at IS NULL ORDER BY repo, number");
  const covers = db.prepare<[string, number], { n: number }>("SELECT count(*) AS n FROM subscriptions WHERE ended_at IS NULL AND repo = ? AND number IN (0, ?)");
  const head = db.prepare("INSERT INTO pr_heads (repo, number, head_sha) VALUES (?, ?, ?) ON CONFLICT (repo, number) DO UPDATE SET head_sha = excluded.head_sha");
  const heads = db.prepare<[], { repo: string; number: number; headSha: string }>("SELECT repo, number, head_sha AS headSha FROM pr_heads ORDER BY repo, number");
  const withHead = db.prepare<[string, string], { number: number }>("SELECT number FROM pr_heads WHERE repo = ? AND head_sha = ? ORDER BY number");
  return {
    add: (ref, origin, now) => add.run(ref.repo, ref.number, origin, now.toISOString()).changes === 1,
    addFromConfig: (refs, now) => refs.forEach((ref) => addNew.run(ref.repo, ref.number, now.toISOString())),
    end: (ref, reason, now) => end.run(now.toISOString(), reason, ref.repo, ref.number).changes === 1,
    list: () => list.all(),
    covers: (repo, number) => covers.get(repo.toLowerCase(), number ?? 0)!.n > 0,
    recordHead: (repo, number, headSha) => void head.run(repo.toLowerCase(), number, headSha),
    heads: () => heads.all(),
    pullsWithHead: (repo, headSha) => withHead.all(repo.toLowerCase(), headSha).map((row) => row.number),
  };
}
