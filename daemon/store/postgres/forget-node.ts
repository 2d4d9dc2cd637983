import { checkDurationMs } from "./check-duration-ms.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

const FORGET = "DELETE FROM vigil.nodes WHERE id = $1 AND ($2::double precision IS NULL OR seen_at < now() - $2::double precision * interval '1 millisecond')";

/**
 * Removes a node from the list: a node stopping cleanly forgets itself, and `vigil status` may
 * forget one that is gone. Its leases stay (their tokens must keep growing) but lose their holder,
 * so any node may take them at once. With `unseenForMs`, only a node unseen at least that long is
 * forgotten (a live one is left alone). True when it was removed.
 */
export async function forgetNode(q: PostgresQueryable, id: string, { unseenForMs }: { unseenForMs?: number } = {}): Promise<boolean> {
  const unseen = unseenForMs === undefined ? null : checkDurationMs(unseenForMs, "unseenForMs");
  return (await q.query(FORGET, [id, unseen])).rowCount === 1;
}
