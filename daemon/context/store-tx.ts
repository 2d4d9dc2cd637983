import type { EventQueue, QueuedEvent } from "../events/event-queue.js";
import { toQueuedEvent, type EventRow } from "../events/event-queue.js";
import { pickBatch } from "../events/pick-batch.js";
import { wakeupsOnRows, type WakeupRowsPort, type WakeupsPort } from "../events/wakeups-on-rows.js";
import { createPostgresWakeupRows } from "../store/postgres/create-postgres-wakeup-rows.js";
import type { Redactor } from "../logger/redact-secrets.js";
import type { ClaimedEventRow } from "../store/postgres/claim-work.js";
import { createPostgresTurnQueue, type PostgresNode } from "../store/postgres/create-postgres-turn-queue.js";
import { createPostgresTurnRows } from "../store/postgres/create-postgres-turn-rows.js";
import { createPostgresUsageLedger } from "../store/postgres/create-postgres-usage-ledger.js";
import type { PostgresQueryable } from "../store/postgres/postgres-queryable.js";
import type { ActionRow, NewActionRow, TokenCounts, TranscriptRow, TurnOutcome } from "../store/store-records.js";
import { createPostgresTranscripts } from "../store/postgres/create-postgres-transcripts.js";
import { createPostgresPollCache, type PostgresPollCache } from "../store/postgres/create-postgres-poll-cache.js";
import { createPostgresActionRows } from "../store/postgres/create-postgres-action-ledger.js";
import { createPostgresApprovals, type PostgresApprovals } from "../store/postgres/create-postgres-approvals.js";
import { createPostgresDaemonState, type PostgresDaemonState } from "../store/postgres/create-postgres-daemon-state.js";
import { createPostgresDeliveries } from "../store/postgres/create-postgres-deliveries.js";
import { searchPostgresRecall, type PostgresRecallHit } from "../store/postgres/search-postgres-recall.js";
import { createPostgresSubscriptions, type PostgresSubscriptions } from "../store/postgres/create-postgres-subscriptions.js";
import { postgresIntakeTx, sqliteIntakeTx } from "./intake-tx.js";
import type { JournalPort, QueuePort } from "./queue-journal-ports.js";
import type { Journal } from "../../logs/journal.js";

export type { JournalPort, QueuePort } from "./queue-journal-ports.js";

/** A turn's row (daemon/brain/turn-rows.ts on SQLite). */
export interface TurnsPort {
  start(id: string, reason: string, at: Date): Promise<void>;
  close(id: string, at: Date, outcome: TurnOutcome): Promise<void>;
  /** The turns among `ids` still open are closed as interrupted; returns how many. */
  interrupt(ids: readonly string[], at: Date): Promise<number>;
}

/** Tokens by day and model (daemon/brain/usage-ledger.ts on SQLite). */
export interface UsagePort {
  record(day: string, model: string, usage: TokenCounts): Promise<void>;
  forDay(day: string): Promise<TokenCounts>;
}

/** The action ledger: what keeps a side effect from running twice (daemon/tools/action-ledger.ts). */
export interface ActionsPort {
  start(row: NewActionRow): Promise<void>;
  finish(id: string, state: "done" | "failed", outcome: string, at: Date): Promise<void>;
  findRepeat(turnIds: readonly string[], tool: string, inputHash: string): Promise<ActionRow | undefined>;
  markInterrupted(turnIds: readonly string[], at: Date): Promise<ActionRow[]>;
}

/** Webhook delivery ids seen: true for an id's first sight, on any node. */
export interface DeliveriesPort {
  record(id: string, event: string, at: Date): Promise<boolean>;
}

/** Tool calls waiting for the user (daemon/policy/approvals.ts): decided once, whichever node hears first. The PostgreSQL adapter's interface is the port's. */
export type ApprovalsPort = PostgresApprovals;
/** Followed pull requests and their heads (daemon/github/subscriptions.ts), as intake needs them. */
export type SubscriptionsPort = PostgresSubscriptions;
/** Small named values kept across restarts (daemon/state/daemon-state.ts). */
export type StatePort = PostgresDaemonState;

/** Full-text recall over the journal and past turns (memory/search-recall.ts; PostgreSQL's text search on a shared store). */
export interface RecallPort {
  /** `words` as memory/quote-fts-query.ts's queryWords gives them. */
  search(words: readonly string[], limit?: number): Promise<PostgresRecallHit[]>;
}

/** Past turns' transcripts (memory/transcripts.ts renders them; recall indexes them). */
export interface TranscriptsPort {
  insert(row: TranscriptRow): Promise<void>;
}

/** The poller's cache of validators and PR snapshots (daemon/github/poll/poll-cache.ts). */
export type PollCachePort = PostgresPollCache;

/**
 * What a store transaction offers (daemon/store/vigil-store.ts), composed here above the ground.
 * It grows a domain at a time as callers move onto the port (docs/DESIGN.md, "The store port").
 */
export interface StoreTx {
  queue: QueuePort;
  journal: JournalPort;
  turns: TurnsPort;
  usage: UsagePort;
  actions: ActionsPort;
  approvals: ApprovalsPort;
  state: StatePort;
  subscriptions: SubscriptionsPort;
  deliveries: DeliveriesPort;
  recall: RecallPort;
  transcripts: TranscriptsPort;
  pollCache: PollCachePort;
  wakeups: WakeupsPort;
}

/** Today's SQLite domains, handed in by the assembly above (the brain's and the tools' modules are above this layer). */
export interface SqliteDomains {
  events: EventQueue;
  journal: Journal;
  turns: Synchronous<TurnsPort>;
  usage: Synchronous<UsagePort>;
  actions: Synchronous<ActionsPort>;
  approvals: Synchronous<ApprovalsPort>;
  subscriptions: Synchronous<SubscriptionsPort>;
  deliveries: Synchronous<DeliveriesPort>;
  recall: Synchronous<RecallPort>;
  transcripts: Synchronous<TranscriptsPort>;
  pollCache: Synchronous<PollCachePort>;
  wakeupRows: Synchronous<WakeupRowsPort>;
  state: { get<T>(key: string): T | undefined; set(key: string, value: unknown): void; delete(key: string): void; take<T>(key: string): T | undefined };
}

/** SQLite's domains are today's synchronous ones; their answers come back as settled promises. */
export function sqliteStoreTx({ events, journal, turns, usage, actions, approvals, state, subscriptions, deliveries, recall, transcripts, pollCache, wakeupRows }: SqliteDomains): StoreTx {
  const intake = sqliteIntakeTx({ events, journal });
  return {
    queue: {
      ...intake.queue,
      countPending: async () => events.countPending(),
      claim: async (turnId, limits) => events.claim(turnId, limits),
      complete: async (turnId, at) => events.complete(turnId, at),
      release: async (turnId, options) => events.release(turnId, options),
      unclaim: async (turnId) => events.unclaim(turnId),
      fence: async () => undefined,
    },
    journal: intake.journal,
    turns: _promising(turns),
    usage: _promising(usage),
    actions: _promising(actions),
    approvals: _promising(approvals),
    subscriptions: _promising(subscriptions),
    deliveries: _promising(deliveries),
    recall: _promising(recall),
    transcripts: _promising(transcripts),
    pollCache: _promising(pollCache),
    wakeups: wakeupsOnRows(_promising(wakeupRows)),
    state: {
      get: async <T>(key: string) => state.get<T>(key),
      set: async (key, value) => state.set(key, value),
      delete: async (key) => state.delete(key),
      take: async <T>(key: string) => state.take<T>(key),
    },
  };
}

/** A claim with no limits takes at most this many events on PostgreSQL, where "every pending event" spans every node's partitions. */
const UNLIMITED_CLAIM = 10_000;

/** PostgreSQL's domains on the transaction's own client, for one node (`node`: its id and the leases its turns hold). */
export function postgresStoreTx(
  client: PostgresQueryable,
  { timeZone, redact, now, node, afterCommit }: { timeZone: string; redact: Redactor; now: () => Date; node: PostgresNode; afterCommit: (change: () => void) => void },
): StoreTx {
  const intake = postgresIntakeTx(client, { timeZone, redact, now });
  const turns = createPostgresTurnQueue(client, node, afterCommit);
  return {
    turns: createPostgresTurnRows(client),
    actions: createPostgresActionRows(client),
    approvals: createPostgresApprovals(client),
    state: createPostgresDaemonState(client),
    subscriptions: createPostgresSubscriptions(client),
    deliveries: createPostgresDeliveries(client),
    recall: { search: (words, limit) => searchPostgresRecall(client, words, limit) },
    transcripts: createPostgresTranscripts(client),
    pollCache: createPostgresPollCache(client),
    wakeups: wakeupsOnRows(createPostgresWakeupRows(client)),
    usage: createPostgresUsageLedger(client),
    queue: {
      ...intake.queue,
      countPending: turns.countPending,
      // Folded events cost one line each group, so a batch may hold up to maxFolded more events than lines.
      claim: async (turnId, limits) =>
        (await turns.claim(turnId, limits ? limits.maxEvents + limits.maxFolded : UNLIMITED_CLAIM, limits && ((rows) => pickBatch(rows.map(_candidate), limits)))).map(_queued),
      complete: turns.complete,
      release: async (turnId, options) => {
        const { released, quarantined } = await turns.release(turnId, options);
        return { released, quarantined: quarantined.map(_queued) };
      },
      unclaim: turns.unclaim,
      fence: turns.fence,
    },
    journal: intake.journal,
  };
}

/** An asynchronous domain's synchronous twin: what SQLite's modules are. */
type Synchronous<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K] };

/** A synchronous domain's methods, each answering with a settled promise. */
function _promising<T extends object>(domain: Synchronous<T>): T {
  return Object.fromEntries(Object.entries(domain).map(([name, method]) => [name, async (...args: unknown[]) => (method as (...a: unknown[]) => unknown)(...args)])) as T;
}

/** As SQLite's candidates query computes them: a batch folds events of one watch root or repository. */
function _candidate(row: ClaimedEventRow) {
  const payload = JSON.parse(row.payload) as { root?: unknown; repo?: unknown };
  const foldKey = row.source === "files" ? `files:${String(payload.root ?? "")}` : row.source === "github" ? `github:${String(payload.repo ?? "")}` : null;
  return { id: row.id, failures: row.failures, chars: row.summary.length + row.payload.length, foldKey };
}

function _queued(row: ClaimedEventRow): QueuedEvent {
  return toQueuedEvent(row as unknown as EventRow);
}
