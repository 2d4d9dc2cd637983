import { randomUUID } from "node:crypto";
import type { Redactor } from "../logger/redact-secrets.js";
import type { VigilDatabase } from "../store/open-database.js";

export type Trust = "trusted" | "untrusted";

export type EventSource = "files" | "github" | "schedule" | "user" | "clock";

export interface NewEvent {
  source: EventSource;
  type: string;
  /** Same key, same event: a second enqueue with it is ignored. Defaults to a fresh id. */
  dedupeKey?: string;
  trust: Trust;
  urgent?: boolean;
  summary: string;
  payload?: Record<string, unknown>;
}

export interface EnqueueResult {
  id: number;
  /** False when the dedupe key was already taken: the event is not new. */
  inserted: boolean;
}

export interface EventQueue {
  /** Writes an event to the durable queue; a source acknowledges only after this returns. */
  enqueue(event: NewEvent): EnqueueResult;
  countPending(): number;
}

/** The durable queue in `vigil.db`. Secrets are redacted on the way in: events end up in prompts. */
export function createEventQueue({ db, redact, now = () => new Date() }: { db: VigilDatabase; redact: Redactor; now?: () => Date }): EventQueue {
  const insert = db.prepare(
    `INSERT INTO events (source, type, dedupe_key, trust, urgent, summary, payload, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
  );
  const findByKey = db.prepare<[string], { id: number }>("SELECT id FROM events WHERE dedupe_key = ?");
  const pending = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM events WHERE state != 'done'");
  return {
    enqueue(event) {
      const dedupeKey = event.dedupeKey ?? `${event.source}:${randomUUID()}`;
      const result = insert.run(
        event.source,
        event.type,
        dedupeKey,
        event.trust,
        event.urgent ? 1 : 0,
        redact(event.summary),
        JSON.stringify(redact(event.payload ?? {})),
        now().toISOString(),
      );
      if (result.changes === 1) return { id: Number(result.lastInsertRowid), inserted: true };
      return { id: findByKey.get(dedupeKey)!.id, inserted: false };
    },
    countPending: () => pending.get()!.n,
  };
}
