import type { VigilDatabase } from "../daemon/store/open-database.js";

/** The journal's last seq, 0 when it is empty. */
export function readHeadSeq(db: VigilDatabase): number {
  return db.prepare<[], { seq: number | null }>("SELECT MAX(seq) AS seq FROM journal").get()?.seq ?? 0;
}
