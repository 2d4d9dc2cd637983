import type { PostgresQueryable } from "../store/postgres/postgres-queryable.js";
import type { EnqueueResult, EventQueue, NewEvent } from "../events/event-queue.js";
import type { Redactor } from "../logger/redact-secrets.js";
import { createPostgresEventQueue } from "../store/postgres/create-postgres-event-queue.js";
import { createPostgresJournal } from "../store/postgres/create-postgres-journal.js";
import type { JournalEntry, JournalInput } from "../../logs/journal-entry.js";
import type { Journal } from "../../logs/journal.js";

/**
 * What a store transaction offers (daemon/store/vigil-store.ts), composed here above the ground.
 * It grows a domain at a time as callers move onto the port (docs/DESIGN.md, "The store port").
 */
export interface StoreTx {
  queue: { enqueue(event: NewEvent): Promise<EnqueueResult> };
  journal: { append(input: JournalInput): Promise<JournalEntry>; appendMany(inputs: readonly JournalInput[]): Promise<JournalEntry[]> };
}

/** SQLite's domains are today's synchronous ones; their answers come back as settled promises. */
export function sqliteStoreTx({ events, journal }: { events: EventQueue; journal: Journal }): StoreTx {
  return {
    queue: { enqueue: async (event) => events.enqueue(event) },
    journal: { append: async (input) => journal.append(input), appendMany: async (inputs) => journal.appendMany(inputs) },
  };
}

/** PostgreSQL's domains on the transaction's own client. */
export function postgresStoreTx(client: PostgresQueryable, { timeZone, redact, now }: { timeZone: string; redact: Redactor; now: () => Date }): StoreTx {
  const journal = createPostgresJournal({ pool: client, timeZone, redact, now });
  return { queue: createPostgresEventQueue({ db: client, redact, now }), journal: { append: journal.append, appendMany: journal.appendMany } };
}
