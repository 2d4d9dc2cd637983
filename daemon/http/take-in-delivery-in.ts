import type { StoreTx } from "../context/store-tx.js";
import { normalizeGithubEvent } from "../github/normalize-github-event.js";
import { takeInGithubChangeIn, type IntakeResult } from "../github/take-in-github-change.js";

/** How a verified delivery was taken in: the counter it bumps and the answer the sender gets once it is durable. */
export interface TakenDelivery {
  counter: "queued" | "duplicates" | "ignored" | "unsubscribed";
  status: 200 | 202;
  body: Record<string, unknown>;
}

/**
 * A verified webhook delivery on the store port (either engine), inside the caller's
 * transaction (daemon/http/webhook-handler.ts shares it with the group's): the delivery id is
 * recorded first, so a redelivery (on any node, at any moment) is answered "duplicate" and
 * changes nothing; then the change is normalized and queued.
 */
export async function takeInDeliveryIn(tx: StoreTx, delivery: { id: string; name: string; payload: Record<string, unknown> }, now: Date): Promise<TakenDelivery> {
  if (!(await tx.deliveries.record(delivery.id, delivery.name, now))) return _DUPLICATE;
  const change = normalizeGithubEvent(delivery.name, delivery.payload);
  if (!change) return _ignored(delivery.name, delivery.payload);
  return _answer(await takeInGithubChangeIn(tx, change, now));
}

/** A delivery id seen before (or earlier in the same group): answered 200, as nothing was accepted. */
const _DUPLICATE: TakenDelivery = { counter: "duplicates", status: 200, body: { status: "duplicate" } };

function _ignored(name: string, payload: Record<string, unknown>): TakenDelivery {
  return { counter: "ignored", status: 202, body: { status: "ignored", reason: `${name}.${String(payload.action ?? "")} is not followed` } };
}

/** The answer to a delivery whose change went through intake. */
function _answer(result: IntakeResult): TakenDelivery {
  if (!result.queued) return { counter: "unsubscribed", status: 202, body: { status: "ignored", reason: "not subscribed" } };
  return { counter: result.duplicate ? "duplicates" : "queued", status: 202, body: { status: result.duplicate ? "duplicate" : "queued", eventId: result.eventId } };
}
