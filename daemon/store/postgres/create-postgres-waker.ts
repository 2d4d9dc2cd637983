import { WORK_CHANNEL } from "./notify-work.js";

/** What the waker needs of its connection: a pg Client (connectPostgresClient) has it. */
export interface WakerConnection {
  query(text: string): Promise<unknown>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  end(): Promise<void>;
}

export interface PostgresWakerOptions {
  /** Opens a fresh dedicated connection (not a pool's: it is held for good), at start and after each loss. */
  connect: () => Promise<WakerConnection>;
  channel?: string;
  /** A notification's payload; undefined after a reconnect, when one may have been missed while away. */
  onWake: (payload: string | undefined) => void;
  /** The connection was lost or could not be made again; the next try is in `retryInMs`. */
  onLost?: (error: Error, retryInMs: number) => void;
  /** LISTEN is in place again after a loss. */
  onListening?: () => void;
  /** Backoff between tries: doubling from `firstMs` up to `maxMs`, back to `firstMs` once listening. */
  retry?: { firstMs: number; maxMs: number };
}

export interface PostgresWaker {
  close(): Promise<void>;
}

const CHANNEL_SHAPE = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Wakes this node when another commits work: one dedicated connection LISTENs on the channel
 * (notifyWork sends on it). When that connection drops (the server restarts, an administrator
 * ends the backend, the network goes), it connects again with backoff and, once listening, wakes
 * once, since a notification sent meanwhile is lost. A missed wake is harmless by design: nodes
 * also poll the store on their tick, so a wake only makes them sooner, never correct. Resolves
 * once listening; the first connection's failure is thrown (a misconfigured store fails at start).
 */
export async function createPostgresWaker(options: PostgresWakerOptions): Promise<PostgresWaker> {
  const channel = options.channel ?? WORK_CHANNEL;
  if (!CHANNEL_SHAPE.test(channel)) throw new TypeError(`a wake channel is a lower-case SQL name (letters, digits, _), not "${channel}"`);
  const waker: _Waker = {
    connect: options.connect,
    channel,
    onWake: options.onWake,
    onLost: options.onLost ?? (() => undefined),
    onListening: options.onListening ?? (() => undefined),
    retry: options.retry ?? { firstMs: 250, maxMs: 10_000 },
    closed: false,
    current: undefined,
    timer: undefined,
    delay: 0,
  };
  waker.delay = waker.retry.firstMs;
  await _listen(waker);
  return { close: () => _close(waker) };
}

interface _Waker extends Required<Omit<PostgresWakerOptions, "channel">> {
  channel: string;
  closed: boolean;
  current: WakerConnection | undefined;
  timer: NodeJS.Timeout | undefined;
  delay: number;
}

/** One connection that LISTENs; its loss (once listening) schedules the next try. */
async function _listen(waker: _Waker): Promise<void> {
  const connection = await waker.connect();
  let listening = false;
  let lost = false;
  const lose = (error: Error) => {
    if (lost) return;
    lost = true;
    void _endQuietly(connection);
    if (listening && waker.current === connection) _retryLater(waker, error);
  };
  connection.on("error", lose);
  connection.on("end", () => lose(new Error("the listening connection ended")));
  connection.on("notification", (message) => {
    if (message.channel === waker.channel && !waker.closed) waker.onWake(message.payload);
  });
  try {
    await connection.query(`LISTEN "${waker.channel}"`);
  } catch (error) {
    lost = true;
    await _endQuietly(connection);
    throw error;
  }
  if (lost) throw new Error("the listening connection was lost as it began to listen");
  listening = true;
  waker.current = connection;
}

function _retryLater(waker: _Waker, error: Error): void {
  waker.current = undefined;
  if (waker.closed) return;
  const wait = waker.delay;
  waker.delay = Math.min(waker.delay * 2, waker.retry.maxMs);
  waker.onLost(error, wait);
  waker.timer = setTimeout(() => void _listenAgain(waker), wait);
}

/** A try after a loss: listening again, it wakes once for what may have been sent meanwhile. */
async function _listenAgain(waker: _Waker): Promise<void> {
  waker.timer = undefined;
  if (waker.closed) return;
  try {
    await _listen(waker);
  } catch (error) {
    _retryLater(waker, error instanceof Error ? error : new Error(String(error)));
    return;
  }
  if (waker.closed) return _close(waker);
  waker.delay = waker.retry.firstMs;
  waker.onListening();
  waker.onWake(undefined);
}

async function _close(waker: _Waker): Promise<void> {
  waker.closed = true;
  clearTimeout(waker.timer);
  const connection = waker.current;
  waker.current = undefined;
  await _endQuietly(connection);
}

async function _endQuietly(connection: WakerConnection | undefined): Promise<void> {
  await connection?.end().catch(() => undefined);
}
