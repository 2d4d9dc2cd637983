import type { Command } from "commander";
import { chooseProvider } from "../../brain/choose-provider.js";
import { createUsageLedger } from "../../brain/usage-ledger.js";
import type { VigilContext } from "../../context/open-context.js";
import { createDaemonState } from "../../state/daemon-state.js";
import { runDream } from "../../../memory/run-dream.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";
import { withContext } from "../with-context.js";

export function registerDreamCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("dream")
    .description("consolidate memory now, in a forked worker that has only memory tools")
    .option("--dry-run", "print what would change as a diff; change nothing")
    .action(async (options: { dryRun?: boolean }) => setExit(await withContext(io, (ctx) => runDreamCommand(ctx, io, options))));
}

export async function runDreamCommand(ctx: VigilContext, io: CliIo, options: { dryRun?: boolean }): Promise<number> {
  if (chooseProvider(ctx.loaded, ctx.env) !== "anthropic") {
    writeLine(io.stderr, "vigil: dreaming needs a model: export ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) and try again");
    return EXIT.failed;
  }
  const result = await runDream({ ctx, usage: createUsageLedger(ctx.db), state: createDaemonState(ctx.db) }, { force: true, dryRun: options.dryRun ?? false });
  if (result.outcome !== "dreamed") {
    writeLine(io.stderr, `vigil: dream ${result.outcome}: ${result.reason}`);
    return EXIT.failed;
  }
  if (options.dryRun) writeLine(io.stdout, result.patch || "no change");
  const { added, changed, removed } = result.changes;
  writeLine(io.stdout, `${options.dryRun ? "would change" : "changed"}: ${added.length} added, ${changed.length} changed, ${removed.length} removed${result.version ? ` (memory version ${result.version})` : ""}`);
  writeLine(io.stdout, result.summary);
  return EXIT.ok;
}
