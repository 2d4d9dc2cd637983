import { randomUUID } from "node:crypto";
import type { Redactor } from "../../logger/redact-secrets.js";
import { toStorableText } from "../../../logs/storable-text.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

/** An event to queue, as daemon/events/event-queue.ts's NewEvent (the ground names no feature's type). */
export interface PostgresNewEvent {
  source: string;
  type: string;
  dedupeKey?: string;
  trust: "trusted" | "untrusted";
  urgent?: boolean;
  summary: string;
  payload?: Record<string, unknown>;
}

/** daemon/events/event-queue.ts's EventState. */
export interface PostgresEventState {
  state: "pending" | "claimed" | "done" | "quarantined";
  claimedBy: string | null;
}

export interface PostgresEventQueue {
  /** daemon/events/event-queue.ts's enqueue: the new event's id, or the id that holds its dedupe key. */
  enqueue(event: PostgresNewEvent): Promise<{ id: number; inserted: boolean }>;
  stateOf(id: number): Promise<PostgresEventState | undefined>;
}

const INSERT = {
  name: "vigil_events_enqueue",
  text: `INSERT INTO vigil.events (source, type, dedupe_key, trust, urgent, summary, payload, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
};
const STATE_OF = { name: "vigil_events_state_of", text: 'SELECT state, claimed_by AS "claimedBy" FROM vigil.events WHERE id = $1' };
const FIND = { name: "vigil_events_by_key", text: "SELECT id FROM vigil.events WHERE dedupe_key = $1" };

/**
 * The event queue's intake on PostgreSQL, as SQLite's: secrets redacted on the way in (events end
 * up in prompts), a dedupe key taken once on any node (`ON CONFLICT DO NOTHING`, so a redelivery
 * reaching another node waits for the first insert's transaction and then finds its row).
 */
export function createPostgresEventQueue({ db, redact, now = () => new Date() }: { db: PostgresQueryable; redact: Redactor; now?: () => Date }): PostgresEventQueue {
  return {
    async enqueue(event) {
      const dedupeKey = event.dedupeKey ?? `${event.source}:${randomUUID()}`;
      // Every string storable (no NUL, no lone surrogate): PostgreSQL text and jsonb refuse them, and the partition reads the payload as jsonb.
      const payload = JSON.stringify(redact(event.payload ?? {}), (_key, value: unknown) => (typeof value === "string" ? toStorableText(value) : value));
      const values = [event.source, event.type, dedupeKey, event.trust, event.urgent ? 1 : 0, toStorableText(redact(event.summary)), payload, now().toISOString()];
      const inserted = await db.query<{ id: string }>({ ...INSERT, values });
      if (inserted.rows[0]) return { id: Number(inserted.rows[0].id), inserted: true };
      const found = await db.query<{ id: string }>({ ...FIND, values: [dedupeKey] });
      return { id: Number(found.rows[0]!.id), inserted: false };
    },
    stateOf: async (id) => (await db.query<PostgresEventState>({ ...STATE_OF, values: [id] })).rows[0],
  };
}
