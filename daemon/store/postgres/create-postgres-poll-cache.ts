import type { PostgresQueryable } from "./postgres-queryable.js";

/** daemon/github/poll/poll-cache.ts on PostgreSQL: a URL's validators and a PR's last snapshot, shared by the nodes that poll. */
export interface PostgresPollCache {
  get(key: string): Promise<{ etag: string | null; snapshot: string | null } | undefined>;
  putEtag(key: string, etag: string | null): Promise<void>;
  putSnapshot(key: string, snapshot: string): Promise<void>;
}

const GET = { name: "vigil_poll_cache_get", text: "SELECT etag, snapshot FROM vigil.poll_cache WHERE url = $1" };
const PUT_ETAG = { name: "vigil_poll_cache_etag", text: "INSERT INTO vigil.poll_cache (url, etag, snapshot) VALUES ($1, $2, NULL) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag" };
const PUT_SNAPSHOT = { name: "vigil_poll_cache_snapshot", text: "INSERT INTO vigil.poll_cache (url, etag, snapshot) VALUES ($1, NULL, $2) ON CONFLICT (url) DO UPDATE SET snapshot = excluded.snapshot" };

export function createPostgresPollCache(db: PostgresQueryable): PostgresPollCache {
  return {
    get: async (key) => (await db.query<{ etag: string | null; snapshot: string | null }>({ ...GET, values: [key] })).rows[0],
    putEtag: async (key, etag) => void (await db.query({ ...PUT_ETAG, values: [key, etag] })),
    putSnapshot: async (key, snapshot) => void (await db.query({ ...PUT_SNAPSHOT, values: [key, snapshot] })),
  };
}
