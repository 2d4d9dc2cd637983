import type { Command } from "commander";
import { openContext } from "../../context/open-context.js";
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
    const event = ctx.db
      .transaction(() => {
        const queued = ctx.events.enqueue({ source: "user", type: "message", trust: "trusted", summary: text, payload: { text } });
        ctx.journal.append({ kind: "noticed", summary: `user said: ${text}`, data: { eventId: queued.id, source: "user", type: "message" } });
        return queued;
      })
      .immediate();
    writeLine(io.stdout, `queued event ${event.id}`);
    return EXIT.ok;
  } finally {
    ctx.close();
  }
}
