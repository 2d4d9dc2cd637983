import type { Redactor } from "../logger/redact-secrets.js";
import type { EventQueue } from "../events/event-queue.js";
import { createPostgresEventQueue } from "../store/postgres/create-postgres-event-queue.js";
import { createPostgresJournal } from "../store/postgres/create-postgres-journal.js";
import { notifyWork } from "../store/postgres/notify-work.js";
import type { PostgresQueryable } from "../store/postgres/postgres-queryable.js";
import type { Journal } from "../../logs/journal.js";
import type { VigilStore } from "../store/vigil-store.js";
import type { JournalPort, QueuePort } from "./queue-journal-ports.js";

/**
 * What taking an event in and following it needs of a store transaction: the queue's intake and
 * an event's state, and the journal. A one-shot verb (`vigil tell`) opens a store with only this,
 * so it loads neither the turn's domains nor a node of its own on PostgreSQL.
 */
export interface IntakeTx {
  queue: Pick<QueuePort, "enqueue" | "stateOf">;
  journal: JournalPort;
}

/** A store a one-shot verb takes events in through, on whichever engine `store.engine` names (daemon/context/open-intake-store.ts). */
export interface IntakeStore {
  store: VigilStore<IntakeTx>;
  /** Where the events go, for people: this home's `vigil.db`, or `postgres://HOST:PORT/DATABASE`. */
  location: string;
  /** Whether anything will handle them: this home's daemon (its lock) on SQLite; any node seen lately on PostgreSQL. */
  anyoneRunning(): Promise<boolean>;
  close(): Promise<void>;
}

/** SQLite's intake: today's queue and journal, answering with settled promises. */
export function sqliteIntakeTx({ events, journal }: { events: EventQueue; journal: Journal }): IntakeTx {
  return {
    queue: { enqueue: async (event) => events.enqueue(event), stateOf: async (id) => events.stateOf(id) },
    journal: {
      append: async (input) => journal.append(input),
      appendMany: async (inputs) => journal.appendMany(inputs),
      decisionOf: async (turnId) => journal.decisionOf(turnId),
    },
  };
}

/**
 * PostgreSQL's intake on the transaction's client. A new event wakes the nodes that listen
 * (daemon/store/postgres/notify-work.ts): the notification goes out only if this transaction
 * commits, and a node that misses it finds the event on its next tick.
 */
export function postgresIntakeTx(client: PostgresQueryable, { timeZone, redact, now }: { timeZone: string; redact: Redactor; now: () => Date }): IntakeTx {
  const queue = createPostgresEventQueue({ db: client, redact, now });
  const journal = createPostgresJournal({ pool: client, timeZone, redact, now });
  return {
    queue: {
      enqueue: async (event) => {
        const queued = await queue.enqueue(event);
        if (queued.inserted) await notifyWork(client, event.source);
        return queued;
      },
      stateOf: queue.stateOf,
    },
    journal: { append: journal.append, appendMany: journal.appendMany, decisionOf: journal.decisionOf },
  };
}
