import type { VigilDatabase } from "../daemon/store/open-database.js";
import { readJournalHead } from "./anchor-log.js";
import type { JournalReader } from "./journal-reader.js";
import { queryEntries } from "./query-entries.js";
import { verifyChainInParallel } from "./verify-chain.js";

/** The journal reader on `vigil.db`: today's synchronous queries behind the port's promises. */
export function createSqliteJournalReader(db: VigilDatabase, close: () => void = () => db.close()): JournalReader {
  const hashAt = db.prepare<[number], { hash: string }>("SELECT hash FROM journal WHERE seq = ?");
  return {
    engine: "sqlite",
    location: db.name,
    query: async (query) => queryEntries(db, query),
    head: async () => readJournalHead(db),
    hashAt: async (seq) => hashAt.get(seq)?.hash,
    verify: () => verifyChainInParallel(db),
    close: async () => close(),
  };
}
