import type { VigilDatabase } from "../daemon/store/open-database.js";

/**
 * Feeds the full-text index every journal row appended since it last ran, in one statement and
 * one transaction: appends stay cheap, and a search still sees every row, whichever process
 * appended it. A read-only handle (the dream worker) cannot write; its parent indexes first.
 */
export function indexJournal(db: VigilDatabase): number {
  if (db.readonly) return 0;
  return db
    .transaction(() => {
      const { journal_seq: from } = db.prepare<[], { journal_seq: number }>("SELECT journal_seq FROM recall_progress WHERE id = 1").get()!;
      const head = (db.prepare("SELECT coalesce(max(seq), 0) FROM journal").pluck().get() as number);
      if (head <= from) return 0;
      db.prepare("INSERT INTO recall (body, source, ref, day) SELECT kind || ': ' || summary || ' ' || data, 'journal', seq, day FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq").run(from, head);
      db.prepare("UPDATE recall_progress SET journal_seq = ? WHERE id = 1").run(head);
      return head - from;
    })
    .immediate();
}
