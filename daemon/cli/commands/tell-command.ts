import type { Command } from "commander";
import { openIntakeStore, type IntakeStore } from "../../context/open-intake-store.js";
import { loadCliConfig } from "../open-cli-context.js";
import { noticeEventOn } from "../../events/notice-event.js";
import type { JournalEntry } from "../../../logs/journal-entry.js";
import { nudgeDaemon } from "../../locks/nudge-daemon.js";
import { waitUntil } from "../../locks/signal-daemon.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";

interface TellOptions {
  wait?: boolean;
  timeout?: string;
}

export function registerTellCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("tell")
    .description("queue a message from you to Vigil (a trusted event)")
    .argument("<text...>", "what to tell it")
    .option("--wait", "wait for the turn that handles it, and print its decision and summary")
    .option("--timeout <seconds>", "how long --wait waits (default 300)")
    .action(async (words: string[], options: TellOptions) => setExit(await runTell(io, words.join(" "), options)));
}

export async function runTell(io: CliIo, text: string, options: TellOptions = {}): Promise<number> {
  if (!text.trim()) throw new UsageError("vigil tell needs some text, e.g. vigil tell remind me to review PR 42");
  const timeoutS = options.timeout === undefined ? 300 : Number(options.timeout);
  if (!(timeoutS > 0)) throw new UsageError(`--timeout "${options.timeout}" is not a number of seconds, e.g. --timeout 60`);
  const { paths, loaded, env } = await loadCliConfig(io);
  const intake = await openIntakeStore(paths, loaded, { env, now: io.now });
  try {
    // Urgent: the user is evidently awake, so quiet hours do not hold a direct message back.
    const event = await noticeEventOn(intake.store, { source: "user", type: "message", trust: "trusted", urgent: true, summary: text, payload: { text } });
    // This home's daemon is woken by its socket; a team store's nodes by the enqueue's notification.
    nudgeDaemon(paths.lockFile);
    if (!(await intake.anyoneRunning())) {
      writeLine(io.stdout, `queued event ${event.id}; ${_nobodyRunning(intake)}`);
      return options.wait ? EXIT.failed : EXIT.ok;
    }
    writeLine(io.stdout, `queued event ${event.id}`);
    return options.wait ? await _waitForDecision(io, intake, event.id, timeoutS * 1000) : EXIT.ok;
  } finally {
    await intake.close();
  }
}

function _nobodyRunning(intake: IntakeStore): string {
  return intake.store.engine === "sqlite"
    ? "Vigil is not running: it will be looked at when Vigil starts (vigil start)"
    : `no node of the team store ${intake.location} has been seen in the last minute: it will be looked at when one starts (vigil start on a node)`;
}

/** The event is done when a turn finished it; that turn's decision row says what came of it. */
async function _waitForDecision(io: CliIo, intake: IntakeStore, eventId: number, timeoutMs: number): Promise<number> {
  let found: JournalEntry | undefined;
  const done = await waitUntil(async () => {
    found = await intake.store.transaction(async (tx) => {
      const event = await tx.queue.stateOf(eventId);
      return event?.state === "done" && event.claimedBy ? tx.journal.decisionOf(event.claimedBy) : undefined;
    });
    return found !== undefined || !(await intake.anyoneRunning());
  }, timeoutMs, 200);
  if (!found) {
    writeLine(io.stderr, done ? "vigil stopped before it handled the message; it stays queued for the next start" : `no decision within ${timeoutMs / 1000} s; it stays queued (see vigil status)`);
    return EXIT.failed;
  }
  const actions = (found.data as { actions?: string[] }).actions ?? [];
  writeLine(io.stdout, found.kind === "quiet" ? `stayed quiet: ${found.summary}` : `acted (${actions.join(", ") || "no tools"}): ${found.summary}`);
  return EXIT.ok;
}
