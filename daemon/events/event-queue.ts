import { randomUUID } from "node:crypto";
import type { Redactor } from "../logger/redact-secrets.js";
import type { VigilDatabase } from "../store/open-database.js";
import { pickBatch, type BatchCandidate, type BatchLimits } from "./pick-batch.js";

export type { BatchLimits } from "./pick-batch.js";

export type Trust = "trusted" | "untrusted";

export type EventSource = "files" | "github" | "schedule" | "user" | "clock" | "command" | "task";

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

/** An event as a turn sees it. */
export interface QueuedEvent {
  id: number;
  source: EventSource;
  type: string;
  trust: Trust;
  urgent: boolean;
  summary: string;
  payload: Record<string, unknown>;
  receivedAt: string;
  /** Every turn that claimed it before and never finished (crashes, stops), oldest first. */
  previousTurns: string[];
  /** Failed turns it was in, in a row. */
  failures: number;
}

export interface ReleaseOptions {
  /** The failure may be the events' own doing (a refused request, a crash on their content): count it. */
  blame?: boolean;
  /** With blame: events in this many failed turns are quarantined instead of handed back. */
  quarantineAfter?: number;
}

/** What the wake gate needs to know about the queue, in one cheap query. */
export interface PendingStats {
  count: number;
  urgent: number;
  oldestAt: string | null;
  newestAt: string | null;
}

/** Where an event stands, and which turn has (or last had) it. */
export interface EventState {
  state: "pending" | "claimed" | "done" | "quarantined";
  claimedBy: string | null;
}

export interface EventQueue {
  /** Writes an event to the durable queue; a source acknowledges only after this returns. */
  enqueue(event: NewEvent): EnqueueResult;
  countPending(): number;
  /** undefined for an id the queue never had (or retention removed). */
  stateOf(id: number): EventState | undefined;
  pendingStats(): PendingStats;
  /**
   * Moves pending events to `claimed` by this turn and returns them, urgent first, then oldest
   * first: all of them, or a batch within `limits` (the rest wait for the next turn).
   */
  claim(turnId: string, limits?: BatchLimits): QueuedEvent[];
  /** The turn's events are consumed; call in the transaction that journals its decision. */
  complete(turnId: string, now: Date): number;
  /** The turn failed: its events go back to pending, adding it to their previous turns. */
  release(turnId: string, options?: ReleaseOptions): { released: number; quarantined: QueuedEvent[] };
  /** The turn gives its batch back untouched (to retry with a smaller one): no failure, no previous turn. */
  unclaim(turnId: string): number;
  /** Events set aside after failing turn after turn, newest first. */
  listQuarantined(limit?: number): QueuedEvent[];
  /** At start: events claimed by a turn that never finished go back to pending. */
  releaseAbandoned(): number;
  /** Calls `listener` after each new event this process enqueues; returns the unsubscribe. */
  onEnqueued(listener: () => void): () => void;
}

/** The durable queue in `vigil.db`. Secrets are redacted on the way in: events end up in prompts. */
export function createEventQueue({ db, redact, now = () => new Date() }: { db: VigilDatabase; redact: Redactor; now?: () => Date }): EventQueue {
  const insert = db.prepare(
    `INSERT INTO events (source, type, dedupe_key, trust, urgent, summary, payload, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
  );
  const findByKey = db.prepare<[string], { id: number }>("SELECT id FROM events WHERE dedupe_key = ?");
  const stateOf = db.prepare<[number], EventState>("SELECT state, claimed_by AS claimedBy FROM events WHERE id = ?");
  const pending = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM events WHERE state IN ('pending', 'claimed')");
  const stats = db.prepare<[], PendingStats>(
    "SELECT count(*) AS count, coalesce(sum(urgent), 0) AS urgent, min(received_at) AS oldestAt, max(received_at) AS newestAt FROM events WHERE state = 'pending'",
  );
  const claim = db.prepare("UPDATE events SET state = 'claimed', claimed_by = ? WHERE state = 'pending'");
  const claimSome = db.prepare("UPDATE events SET state = 'claimed', claimed_by = ? WHERE state = 'pending' AND id IN (SELECT value FROM json_each(?))");
  const candidates = db.prepare<[], BatchCandidate>(
    `SELECT id, failures, length(summary) + length(payload) AS chars,
       CASE source WHEN 'files' THEN 'files:' || coalesce(json_extract(payload, '$.root'), '') WHEN 'github' THEN 'github:' || coalesce(json_extract(payload, '$.repo'), '') END AS foldKey
     FROM events WHERE state = 'pending' ORDER BY urgent DESC, id`,
  );
  const claimed = db.prepare<[string], EventRow>("SELECT * FROM events WHERE state = 'claimed' AND claimed_by = ? ORDER BY urgent DESC, id");
  const unclaim = db.prepare("UPDATE events SET state = 'pending', claimed_by = NULL WHERE state = 'claimed' AND claimed_by = ?");
  const blame = db.prepare("UPDATE events SET failures = failures + 1 WHERE state = 'claimed' AND claimed_by = ?");
  const quarantine = db.prepare<[string, number], EventRow>("UPDATE events SET state = 'quarantined', claimed_by = NULL WHERE state = 'claimed' AND claimed_by = ? AND failures >= ? RETURNING *");
  const quarantined = db.prepare<[number], EventRow>("SELECT * FROM events WHERE state = 'quarantined' ORDER BY id DESC LIMIT ?");
  const complete = db.prepare("UPDATE events SET state = 'done', done_at = ? WHERE state = 'claimed' AND claimed_by = ?");
  // All earlier claimers are kept (comma-separated), not just the last: an action done two
  // interrupted turns ago must still not be repeated.
  const handBack = "state = 'pending', previous_turn = CASE WHEN previous_turn IS NULL THEN claimed_by ELSE previous_turn || ',' || claimed_by END, claimed_by = NULL";
  const release = db.prepare(`UPDATE events SET ${handBack} WHERE state = 'claimed' AND claimed_by = ?`);
  const releaseAll = db.prepare(`UPDATE events SET ${handBack} WHERE state = 'claimed'`);
  const listeners = new Set<() => void>();
  return {
    onEnqueued(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
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
      if (result.changes === 1) {
        for (const listener of listeners) listener();
        return { id: Number(result.lastInsertRowid), inserted: true };
      }
      return { id: findByKey.get(dedupeKey)!.id, inserted: false };
    },
    countPending: () => pending.get()!.n,
    stateOf: (id) => stateOf.get(id),
    pendingStats: () => stats.get()!,
    claim: (turnId, limits) =>
      db
        .transaction(() => {
          if (limits) claimSome.run(turnId, JSON.stringify(pickBatch(candidates.all(), limits)));
          else claim.run(turnId);
          return claimed.all(turnId).map(toQueuedEvent);
        })
        .immediate(),
    complete: (turnId, at) => complete.run(at.toISOString(), turnId).changes,
    release: (turnId, options = {}) =>
      db
        .transaction(() => {
          if (options.blame) blame.run(turnId);
          const set = options.blame && options.quarantineAfter ? quarantine.all(turnId, options.quarantineAfter).map(toQueuedEvent) : [];
          return { released: release.run(turnId).changes, quarantined: set };
        })
        .immediate(),
    unclaim: (turnId) => unclaim.run(turnId).changes,
    listQuarantined: (limit = 50) => quarantined.all(limit).map(toQueuedEvent),
    releaseAbandoned: () => releaseAll.run().changes,
  };
}

/** A row of the `events` table as SQLite returns it. */
export interface EventRow {
  id: number;
  source: EventSource;
  type: string;
  trust: Trust;
  urgent: number;
  summary: string;
  payload: string;
  received_at: string;
  previous_turn: string | null;
  failures: number;
}

/** A stored row as a turn sees it (also how `vigil eval replay` reads a past turn's events). */
export function toQueuedEvent(row: EventRow): QueuedEvent {
  return {
    id: row.id,
    source: row.source,
    type: row.type,
    trust: row.trust,
    urgent: row.urgent === 1,
    summary: row.summary,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    receivedAt: row.received_at,
    previousTurns: row.previous_turn ? row.previous_turn.split(",") : [],
    failures: row.failures,
  };
}
