import type { VigilDatabase } from "../../store/open-database.js";
import { lastEntry } from "../../../logs/query-entries.js";
import { verifyChain, type ChainVerdict } from "../../../logs/verify-chain.js";

export type ChainState = ChainVerdict & { checkedAt: string; lastVerifiedSeq: number };

/**
 * `vigil log verify` for the page. A full walk costs seconds on a million rows, so the verdict is
 * kept until a row is appended or `maxAgeMs` passes, whichever comes first.
 */
export function createChainState(db: VigilDatabase, now: () => Date, maxAgeMs = 60_000) {
  let cached: { state: ChainState; head: number; at: number } | undefined;
  return (): ChainState => {
    const head = lastEntry(db)?.seq ?? 0;
    const at = now().getTime();
    if (cached && cached.head === head && at - cached.at < maxAgeMs) return cached.state;
    const verdict = verifyChain(db);
    const state: ChainState = { ...verdict, checkedAt: new Date(at).toISOString(), lastVerifiedSeq: verdict.ok ? verdict.headSeq : verdict.seq - 1 };
    cached = { state, head, at };
    return state;
  };
}
