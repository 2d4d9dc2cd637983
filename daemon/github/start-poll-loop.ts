import type { Journal } from "../../logs/journal.js";
import type { Logger } from "../logger/create-logger.js";
import type { GithubPoller } from "./github-poller.js";

/**
 * Polls on its own timer, independent of the heartbeat. A failing poll is logged every time but
 * journaled once until a poll succeeds again, so an offline laptop does not fill the journal.
 */
export function startPollLoop({ poller, journal, logger, intervalMs }: { poller: GithubPoller; journal: Journal; logger: Logger; intervalMs: number }): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failing = false;
  const run = async () => {
    let nextMs = intervalMs;
    try {
      const report = await poller.pollOnce();
      nextMs = report.nextDelayMs;
      if (failing) journal.append({ kind: "system", summary: "GitHub polling works again", data: { event: "poll-recovered" } });
      failing = false;
      logger.debug(report, "github poll");
    } catch (error) {
      logger.warn({ err: error }, "github poll failed");
      if (!failing) journal.append({ kind: "error", summary: `GitHub polling failed: ${(error as Error).message}; retrying every ${Math.round(intervalMs / 1000)} s`, data: { status: (error as { status?: number }).status ?? null } });
      failing = true;
    }
    if (!stopped) timer = setTimeout(run, nextMs);
  };
  timer = setTimeout(run, 0);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
