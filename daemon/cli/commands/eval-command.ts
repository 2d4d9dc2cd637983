import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import type { EvalOptions } from "./run-eval-command.js";

export function registerEvalCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command("eval")
    .description("measure decision quality: run the scenario suite through the real turn, tools recorded, nothing executed")
    .enablePositionalOptions()
    .option("--scenarios <dir>", "a directory of scenario YAML files (default: the shipped suite)")
    .option("--model <name>", "the main model (default: model.name)")
    .option("--triage-model <name>", "a triage model to ask first (default: model.triageModel)")
    .option("--only <ids...>", "run only these scenario ids")
    .option("--json", "print the results as one JSON object")
    .option("--min-score <x>", "exit 1 when the share of scenarios passed is below X (0 to 1)")
    .action(async (options: EvalOptions) => {
      // Loaded on use: the harness pulls in the whole runtime, which no other verb should pay for.
      const { runEvalCommand } = await import("./run-eval-command.js");
      setExit(await runEvalCommand(io, options));
    });
  command
    .command("replay")
    .description("replay a day's wakes with the current prompt (and another model) and show where decisions differ")
    .requiredOption("--day <day>", "YYYY-MM-DD, today or yesterday")
    .option("--model <name>", "the main model (default: model.name)")
    .action(async (options: { day: string; model?: string }) => {
      const { runReplayCommand } = await import("./run-eval-command.js");
      setExit(await runReplayCommand(io, options));
    });
}
