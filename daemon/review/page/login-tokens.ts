import { createHash, randomBytes } from "node:crypto";
import type { VigilDatabase } from "../../store/open-database.js";

/** A link from `vigil open` is good for this long, and once. */
export const LOGIN_TOKEN_TTL_MS = 10 * 60_000;
const KEY_PREFIX = "page-login:";

/**
 * One-time login tokens for the review page. `vigil open` (another process) issues them and the
 * daemon consumes them, so they live in the database, as hashes: a copy of the database holds no
 * usable link. Consuming is a DELETE, so a link works once even when two tabs race.
 */
export function createLoginTokens(db: VigilDatabase) {
  const insert = db.prepare("INSERT INTO daemon_state (key, value) VALUES (?, ?)");
  const take = db.prepare<[string], { value: string }>("DELETE FROM daemon_state WHERE key = ? RETURNING value");
  const stale = db.prepare("DELETE FROM daemon_state WHERE key LIKE 'page-login:%' AND json_extract(value, '$.expiresAt') <= ?");
  return {
    issue(now: Date): string {
      stale.run(now.toISOString());
      const token = randomBytes(24).toString("base64url");
      insert.run(KEY_PREFIX + _hash(token), JSON.stringify({ expiresAt: new Date(now.getTime() + LOGIN_TOKEN_TTL_MS).toISOString() }));
      return token;
    },
    /** True once for a token issued in the last ten minutes; false for a used, expired or made-up one. */
    consume(token: string, now: Date): boolean {
      if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return false;
      const row = take.get(KEY_PREFIX + _hash(token));
      return !!row && (JSON.parse(row.value) as { expiresAt: string }).expiresAt > now.toISOString();
    },
  };
}

function _hash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
