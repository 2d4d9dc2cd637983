import type { PostgresQueryable } from "./postgres-queryable.js";

const TOUCH = { name: "vigil_touch_node", text: "UPDATE vigil.nodes SET seen_at = now() WHERE id = $1" };

/**
 * The node's tick: `seen_at` becomes the database's now(), never the node's clock, so nodes whose
 * clocks disagree are still judged by one. False when the node is not listed (it was forgotten):
 * register it again before taking any lease.
 */
export async function touchNode(q: PostgresQueryable, id: string): Promise<boolean> {
  return (await q.query(TOUCH, [id])).rowCount === 1;
}
