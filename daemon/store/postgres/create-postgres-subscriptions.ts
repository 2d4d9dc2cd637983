import type { PostgresQueryable } from "./postgres-queryable.js";

/** A followed pull request, or a whole repository (number 0), as daemon/github/subscription-ref.ts names one. */
export interface PostgresSubscriptionRef {
  repo: string;
  number: number;
}

/** The part of daemon/github/subscriptions.ts that intake needs, on PostgreSQL. Repositories are kept lower-case, as on SQLite. */
export interface PostgresSubscriptions {
  add(ref: PostgresSubscriptionRef, origin: "config" | "cli" | "agent", now: Date): Promise<boolean>;
  end(ref: PostgresSubscriptionRef, reason: string, now: Date): Promise<boolean>;
  covers(repo: string, number: number | null): Promise<boolean>;
  recordHead(repo: string, number: number, headSha: string): Promise<void>;
  pullsWithHead(repo: string, headSha: string): Promise<number[]>;
}

const ADD = {
  name: "vigil_subscriptions_add",
  text: `INSERT INTO vigil.subscriptions AS s (repo, number, origin, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (repo, number) DO UPDATE SET origin = excluded.origin, created_at = excluded.created_at, ended_at = NULL, end_reason = NULL
         WHERE s.ended_at IS NOT NULL`,
};
const END = { name: "vigil_subscriptions_end", text: "UPDATE vigil.subscriptions SET ended_at = $1, end_reason = $2 WHERE repo = $3 AND number = $4 AND ended_at IS NULL" };
const COVERS = { name: "vigil_subscriptions_covers", text: "SELECT EXISTS (SELECT FROM vigil.subscriptions WHERE ended_at IS NULL AND repo = $1 AND number IN (0, $2)) AS covered" };
const HEAD = { name: "vigil_pr_heads_record", text: "INSERT INTO vigil.pr_heads (repo, number, head_sha) VALUES ($1, $2, $3) ON CONFLICT (repo, number) DO UPDATE SET head_sha = excluded.head_sha" };
const WITH_HEAD = { name: "vigil_pr_heads_with", text: "SELECT number FROM vigil.pr_heads WHERE repo = $1 AND head_sha = $2 ORDER BY number" };

export function createPostgresSubscriptions(db: PostgresQueryable): PostgresSubscriptions {
  return {
    add: async (ref, origin, now) => (await db.query({ ...ADD, values: [ref.repo, ref.number, origin, now.toISOString()] })).rowCount === 1,
    end: async (ref, reason, now) => (await db.query({ ...END, values: [now.toISOString(), reason, ref.repo, ref.number] })).rowCount === 1,
    covers: async (repo, number) => (await db.query<{ covered: boolean }>({ ...COVERS, values: [repo.toLowerCase(), number ?? 0] })).rows[0]!.covered,
    recordHead: async (repo, number, headSha) => void (await db.query({ ...HEAD, values: [repo.toLowerCase(), number, headSha] })),
    pullsWithHead: async (repo, headSha) => (await db.query<{ number: string }>({ ...WITH_HEAD, values: [repo.toLowerCase(), headSha] })).rows.map((row) => Number(row.number)),
  };
}
