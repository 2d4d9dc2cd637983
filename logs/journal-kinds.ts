export const JOURNAL_KINDS = ["noticed", "decided", "acted", "quiet", "error", "system", "dream", "task"] as const;

export type JournalKind = (typeof JOURNAL_KINDS)[number];

export function isJournalKind(value: string): value is JournalKind {
  return (JOURNAL_KINDS as readonly string[]).includes(value);
}
