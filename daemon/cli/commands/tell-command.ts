import type { Command } from "commander";
import { openContext } from "../../context/open-context.js";
import { noticeEvent } from "../../events/notice-event.js";
import { nudgeDaemon } from "../../locks/nudge-daemon.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";

export function registerTellCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("tell")
    .description("queue a message from you to Vigil (a trusted event)")
    .argument("<text...>", "what to tell it")
    .action((words: string[]) => setExit(runTell(io, words.join(" "))));
}

export function runTell(io: CliIo, text: string): number {
  if (!text.trim()) throw new UsageError("vigil tell needs some text, e.g. vigil tell remind me to review PR 42");
  const ctx = openContext({ env: io.env, now: io.now });
  try {
    // Urgent: the user is evidently awake, so quiet hours do not hold a direct message back.
    const event = noticeEvent(ctx, { source: "user", type: "message", trust: "trusted", urgent: true, summary: text, payload: { text } });
    nudgeDaemon(ctx.paths.lockFile);
    writeLine(io.stdout, `queued event ${event.id}`);
    return EXIT.ok;
  } finally {
    ctx.close();
  }
}
