import type { Command } from "commander";
import type { VigilContext } from "../../context/open-context.js";
import { openCliContext } from "../open-cli-context.js";
import { noticeEvent } from "../../events/notice-event.js";
import { nudgeDaemon } from "../../locks/nudge-daemon.js";
import { runningDaemon, waitUntil } from "../../locks/signal-daemon.js";
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
  const ctx = await openCliContext(io);
  try {
    // Urgent: the user is evidently awake, so quiet hours do not hold a direct message back.
    const event = noticeEvent(ctx, { source: "user", type: "message", trust: "trusted", urgent: true, summary: text, payload: { text } });
    nudgeDaemon(ctx.paths.lockFile);
    if (!runningDaemon(ctx.paths.lockFile)) {
      writeLine(io.stdout, `queued event ${event.id}; Vigil is not running: it will be looked at when Vigil starts (vigil start)`);
      return options.wait ? EXIT.failed : EXIT.ok;
    }
    writeLine(io.stdout, `queued event ${event.id}`);
    return options.wait ? await _waitForDecision(io, ctx, event.id, timeoutS * 1000) : EXIT.ok;
  } finally {
    ctx.close();
  }
}

interface Decision {
  kind: string;
  summary: string;
  data: string;
}

/** The event is done when a turn finished it; that turn's decision row says what came of it. */
async function _waitForDecision(io: CliIo, ctx: VigilContext, eventId: number, timeoutMs: number): Promise<number> {
  const eventState = ctx.db.prepare<[number], { state: string; turn: string | null }>("SELECT state, claimed_by AS turn FROM events WHERE id = ?");
  const decision = ctx.db.prepare<[string], Decision>(
    "SELECT kind, summary, data FROM journal WHERE kind IN ('decided', 'quiet') AND json_extract(data, '$.turnId') = ? ORDER BY seq DESC LIMIT 1",
  );
  let found: Decision | undefined;
  const done = await waitUntil(() => {
    const row = eventState.get(eventId);
    found = row?.state === "done" && row.turn ? decision.get(row.turn) : undefined;
    return found !== undefined || !runningDaemon(ctx.paths.lockFile);
  }, timeoutMs, 200);
  if (!found) {
    writeLine(io.stderr, done ? "vigil stopped before it handled the message; it stays queued for the next start" : `no decision within ${timeoutMs / 1000} s; it stays queued (see vigil status)`);
    return EXIT.failed;
  }
  const actions = (JSON.parse(found.data) as { actions?: string[] }).actions ?? [];
  writeLine(io.stdout, found.kind === "quiet" ? `stayed quiet: ${found.summary}` : `acted (${actions.join(", ") || "no tools"}): ${found.summary}`);
  return EXIT.ok;
}
