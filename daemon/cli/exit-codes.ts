/** Exit codes of every verb (DESIGN.md, "Interface contract"). */
export const EXIT = {
  ok: 0,
  /** The thing checked is not right: verification failed, daemon not running, lock held. */
  failed: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** EX_CONFIG: the daemon itself started with a bad config; service units don't restart on it. */
  daemonConfig: 78,
} as const;

/** A mistake in how a verb was called; printed as is and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
