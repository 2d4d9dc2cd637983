/** `OWNER/REPO` (every pull request of the repository) or `OWNER/REPO#N` (one pull request). */
export interface SubscriptionRef {
  repo: string;
  /** 0 means the whole repository. */
  number: number;
}

const REF = /^([\w.-]+\/[\w.-]+)(?:#(\d+))?$/;

export function parseSubscriptionRef(text: string): SubscriptionRef | undefined {
  const match = REF.exec(text.trim());
  if (!match) return undefined;
  return { repo: match[1]!.toLowerCase(), number: match[2] ? Number(match[2]) : 0 };
}

export function formatSubscriptionRef(ref: SubscriptionRef): string {
  return ref.number ? `${ref.repo}#${ref.number}` : ref.repo;
}
