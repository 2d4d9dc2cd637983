import { checkDurationMs } from "./check-duration-ms.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

const RENEW = {
  name: "vigil_renew_lease",
  text: "UPDATE vigil.leases SET renewed_at = now(), expires_at = now() + $4::double precision * interval '1 millisecond' WHERE name = $1 AND holder = $2 AND token = $3",
};

/**
 * Extends the holding `token` of `name` by `ttlMs` from the database's now(). True while that
 * holding lasts, even a little past its expiry if nobody took the lease meanwhile (then nobody
 * else can have acted under it). False once it was taken over, released or its holder forgotten:
 * the holder must stop the work and not commit what it decided. Renew in the transaction that
 * commits the work's outcome, before touching what the lease guards: the row lock then fences
 * the commit against a takeover, and a node taking over waits for it rather than deadlocking.
 */
export async function renewLease(q: PostgresQueryable, name: string, holder: string, token: number, ttlMs: number): Promise<boolean> {
  return (await q.query(RENEW, [name, holder, token, checkDurationMs(ttlMs, "a lease's ttlMs")])).rowCount === 1;
}
