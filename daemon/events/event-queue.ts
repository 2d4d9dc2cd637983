import { randomUUID } from "node:crypto";
import type { VigilDatabase } from "../store/open-database.js";

export type Trust = "trusted" | "untrusted";

export interface NewEvent {
  source: "files" | "github" | "schedule" | "user" | "clock";
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

/** Writes an event to the durable queue; a source acknowledges only after this returns. */
export function enqueueEvent(db: VigilDatabase, event: NewEvent, now: Date = new Date()): EnqueueResult {
  const dedupeKey = event.dedupeKey ?? `${event.source}:${randomUUID()}`;
  const result = db
    .prepare(
      `INSERT INTO events (source, type, dedupe_key, trust, urgent, summary, payload, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    )
    .run(event.source, event.type, dedupeKey, event.trust, event.urgent ? 1 : 0, event.summary, JSON.stringify(event.payload ?? {}), now.toISOString());
  if (result.changes === 1) return { id: Number(result.lastInsertRowid), inserted: true };
  const existing = db.prepare<[string], { id: number }>("SELECT id FROM events WHERE dedupe_key = ?").get(dedupeKey);
  return { id: existing!.id, inserted: false };
}

export function countPendingEvents(db: VigilDatabase): number {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM events WHERE state != 'done'").get()!.n;
}
