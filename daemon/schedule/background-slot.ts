import type { Logger } from "../logger/create-logger.js";

export interface BackgroundSlot {
  /** A task is running. */
  busy(): boolean;
  /** Runs `task` without waiting for it; a throw is logged, never raised into the tick. */
  start(task: (signal: AbortSignal) => Promise<unknown>): void;
  /** Aborts the running task and waits for it to settle. */
  stop(): Promise<void>;
}

/** One long job at a time beside the heartbeat (a dream, a magic-doc refresh), which a stop aborts. */
export function createBackgroundSlot(logger: Logger, what: string): BackgroundSlot {
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  return {
    busy: () => running !== undefined,
    start(task) {
      running = task(stopping.signal)
        .then(
          () => undefined,
          (error: Error) => logger.error({ err: error }, `${what} crashed`),
        )
        .finally(() => {
          running = undefined;
        });
    },
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
