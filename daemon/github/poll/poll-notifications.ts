import type { ConditionalGet } from "./conditional-get.js";

type Thread = Record<string, any>;

/**
 * The user's notifications (`GET /notifications`, If-Modified-Since: a quiet inbox is a free
 * 304): which pull requests someone mentioned the user in, asked them to review, or otherwise
 * touched. Those PRs' conversations are read this cycle even when their own listing looks
 * unchanged. A token that may not read notifications (a fine-grained one) just yields nothing.
 */
export async function pollNotifications(get: ConditionalGet): Promise<Array<{ repo: string; number: number; reason: string }>> {
  let threads: Thread[] | undefined;
  try {
    threads = (await get("/notifications", { participating: true, per_page: 50 })) as Thread[] | undefined;
  } catch (error) {
    if ([401, 403, 404].includes((error as { status?: number }).status ?? 0)) return [];
    throw error;
  }
  return (threads ?? [])
    .filter((thread) => thread.subject?.type === "PullRequest" && typeof thread.subject.url === "string")
    .map((thread) => ({ repo: String(thread.repository?.full_name ?? "").toLowerCase(), number: Number(/\/pulls\/(\d+)$/.exec(thread.subject.url)?.[1] ?? 0), reason: String(thread.reason ?? "") }))
    .filter((thread) => thread.repo && thread.number > 0);
}
