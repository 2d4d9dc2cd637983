import type { BatchLimits, EnqueueResult, EventState, NewEvent, QueuedEvent, ReleaseOptions } from "../events/event-queue.js";
import type { JournalEntry, JournalInput } from "../../logs/journal-entry.js";

/** The queue as a store transaction offers it: intake, and a turn's claim, completion and hand-back. */
export interface QueuePort {
  enqueue(event: NewEvent): Promise<EnqueueResult>;
  countPending(): Promise<number>;
  /** Where an event stands and which turn has (or last had) it; undefined for an id never queued. */
  stateOf(id: number): Promise<EventState | undefined>;
  /** A turn's batch: all pending events (within `limits`), urgent first, then oldest first. */
  claim(turnId: string, limits?: BatchLimits): Promise<QueuedEvent[]>;
  complete(turnId: string, at: Date): Promise<number>;
  release(turnId: string, options?: ReleaseOptions): Promise<{ released: number; quarantined: QueuedEvent[] }>;
  unclaim(turnId: string): Promise<number>;
  /** Before a side effect: the turn still holds its events (PostgreSQL renews its leases or throws LeaseLostError; SQLite's one daemon always does). */
  fence(turnId: string): Promise<void>;
}

/** The journal as a store transaction offers it: appends, and a turn's decision. */
export interface JournalPort {
  append(input: JournalInput): Promise<JournalEntry>;
  appendMany(inputs: readonly JournalInput[]): Promise<JournalEntry[]>;
  /** The turn's decision row (`decided` or `quiet`), or undefined while it has none. */
  decisionOf(turnId: string): Promise<JournalEntry | undefined>;
}
