import { AUTH_FIX, describeAuthFailure } from "../brain/model-health.js";
import type { Runtime } from "./assemble-runtime.js";

/**
 * The API refused the key: block model calls for it, and — the first time only — journal one
 * clear row and tell the user. Later refusals of the same key (a restart) add nothing.
 */
export function reportAuthFailure(error: Error & { status: number }, runtime: Pick<Runtime, "health" | "notifier" | "turn">, data: Record<string, unknown> = {}): void {
  const { journal, now, logger } = runtime.turn;
  const refusal = describeAuthFailure(error);
  logger.warn({ status: error.status }, "the model API refused the key");
  if (!runtime.health.blockAuth({ status: error.status, message: refusal, since: now().toISOString() })) return;
  const summary = `the model API refused the key (${refusal}); no model calls until the key changes: ${AUTH_FIX}`;
  journal.append({ kind: "error", summary, data: { event: "model-auth-failed", status: error.status, ...data } });
  void runtime.notifier.send({ title: "Vigil cannot use the model", body: summary, priority: "high" }).catch(() => undefined);
}

/** The key works again (accepted at start, or the user reloaded): lift the block, say so once. */
export function liftAuthBlock(runtime: Pick<Runtime, "health" | "turn">, why: string): void {
  if (runtime.health.clearAuth()) runtime.turn.journal.append({ kind: "system", summary: `model calls resume: ${why}`, data: { event: "model-auth-cleared", why } });
}
