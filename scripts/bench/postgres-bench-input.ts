import type { JournalInput } from "../../logs/journal-entry.js";

/** The row journal-bench.ts appends, so the two engines' figures compare like for like. */
export function benchJournalInput(i: number): JournalInput {
  return { kind: "noticed", summary: `file changed: src/module-${i % 500}.ts`, data: { path: `src/module-${i % 500}.ts`, size: i % 4096 } };
}
