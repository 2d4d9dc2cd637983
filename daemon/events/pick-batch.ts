/** How much one turn may take from the queue. */
export interface BatchLimits {
  /** Lines in the prompt: an event, or one folded burst. */
  maxEvents: number;
  /** Characters of event text (summary and payload, each event counted up to `eventChars`). */
  maxChars: number;
  eventChars: number;
  /** A group with more pending events than this folds into one line. */
  foldAfter: number;
  maxFolded: number;
}

export interface BatchCandidate {
  id: number;
  /** Events with the same key fold together (a source and its watch root or repository). */
  foldKey: string | null;
  chars: number;
  failures: number;
}

/** What a folded line costs in the prompt, whatever the number of events behind it. */
export const FOLD_LINE_CHARS = 400;

/**
 * The ids one turn claims, oldest first, within the limits (always at least one). An event that
 * was in a failed turn is tried alone, so one bad event cannot fail its neighbours again and is
 * quarantined by itself. Groups larger than `foldAfter` cost one line however many they hold.
 */
export function pickBatch(candidates: readonly BatchCandidate[], limits: BatchLimits): number[] {
  const suspect = candidates.find((candidate) => candidate.failures > 0);
  if (suspect) return [suspect.id];
  const sizes = new Map<string, number>();
  for (const { foldKey } of candidates) if (foldKey) sizes.set(foldKey, (sizes.get(foldKey) ?? 0) + 1);
  const folding = (key: string | null): key is string => key !== null && sizes.get(key)! > limits.foldAfter;
  const picked: number[] = [];
  const lines = new Set<string>();
  let count = 0;
  let chars = 0;
  let folded = 0;
  for (const candidate of candidates) {
    if (folding(candidate.foldKey)) {
      if (folded >= limits.maxFolded) continue;
      if (!lines.has(candidate.foldKey)) {
        if (picked.length && (count + 1 > limits.maxEvents || chars + FOLD_LINE_CHARS > limits.maxChars)) break;
        lines.add(candidate.foldKey);
        count++;
        chars += FOLD_LINE_CHARS;
      }
      folded++;
      picked.push(candidate.id);
      continue;
    }
    const cost = Math.min(candidate.chars, limits.eventChars);
    if (picked.length && (count + 1 > limits.maxEvents || chars + cost > limits.maxChars)) break;
    count++;
    chars += cost;
    picked.push(candidate.id);
  }
  return picked;
}
