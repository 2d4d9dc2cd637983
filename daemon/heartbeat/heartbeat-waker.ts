export interface HeartbeatWaker {
  /** Waits up to `ms`, returning early on a nudge or when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /**
   * Asks for the next tick `afterMs` from now instead of at the next interval: an event taken in
   * by this process (a file, a webhook) is handled as soon as it has settled, not up to a whole
   * tick later. Later nudges replace earlier ones, so a burst is one early tick.
   */
  nudge(afterMs: number): void;
  close(): void;
}

export function createHeartbeatWaker(): HeartbeatWaker {
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    sleep(ms, signal) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(interval);
          signal.removeEventListener("abort", done);
          wake = undefined;
          resolve();
        };
        const interval = setTimeout(done, ms);
        signal.addEventListener("abort", done, { once: true });
        wake = done;
      });
    },
    nudge(afterMs) {
      clearTimeout(timer);
      timer = setTimeout(() => wake?.(), afterMs);
      timer.unref();
    },
    close: () => clearTimeout(timer),
  };
}
