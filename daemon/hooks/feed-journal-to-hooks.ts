import type { JournalEntry } from "../../logs/journal-entry.js";
import { lastEntry, queryEntriesAfter } from "../../logs/query-entries.js";
import type { DaemonState } from "../state/daemon-state.js";
import type { VigilDatabase } from "../store/open-database.js";
import { syncWalNow } from "../store/wal-sync.js";
import { hookEventOf } from "./hook-event-name.js";
import type { HookRunner } from "./hook-runner.js";

/** At most this many rows per tick, so a burst of thousands cannot make one tick slow. */
const BATCH = 200;
const FED_SEQ_KEY = "hooksFedSeq";

/**
 * Hands every new journal row, whoever wrote it (the daemon, `vigil tell`, a dream), to the
 * observer hooks: one indexed query per tick. Where it got to is kept across restarts, so what
 * was journaled while the daemon was down (a `vigil tell`) still reaches the hooks at the next
 * start; on the very first start it begins at the head, so old history is never replayed.
 */
export function feedJournalToHooks(db: VigilDatabase, state: DaemonState, hooks: HookRunner): () => Promise<void> {
  let after = state.get<number>(FED_SEQ_KEY) ?? lastEntry(db)?.seq ?? 0;
  state.set(FED_SEQ_KEY, after);
  return async () => {
    const entries = queryEntriesAfter(db, after, BATCH);
    if (entries.length === 0) return;
    // A webhook group's rows are readable a few milliseconds before their fsync is done
    // (daemon/store/wal-sync.ts): every row read above is on disk before a hook sees one, so no
    // hook runs for a delivery that a power cut takes back.
    syncWalNow(db);
    for (const entry of entries) {
      const event = hookEventOf(entry);
      if (event) hooks.observe(event, { entry: _plain(entry) });
    }
    after = entries.at(-1)!.seq;
    state.set(FED_SEQ_KEY, after);
  };
}

function _plain(entry: JournalEntry) {
  return { seq: entry.seq, ts: entry.ts, day: entry.day, kind: entry.kind, summary: entry.summary, data: entry.data };
}
