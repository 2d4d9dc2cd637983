import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/config-error.js";
import { DatabaseVersionError } from "../store/open-database.js";
import { describeStorageError } from "../store/describe-storage-error.js";
import { VERSION } from "../version.js";
import { writeLine, type CliIo } from "./cli-io.js";
import { registerInitCommand } from "./commands/init-command.js";
import { registerLogCommand } from "./commands/log-command.js";
import { registerStartCommand } from "./commands/start-command.js";
import { registerStatusCommand } from "./commands/status-command.js";
import { registerTellCommand } from "./commands/tell-command.js";
import { registerSubscriptionCommands } from "./commands/subscription-commands.js";
import { registerServiceCommands } from "./commands/service-commands.js";
import { registerReviewCommand } from "./commands/review-command.js";
import { registerDoctorCommand } from "./commands/doctor-command.js";
import { registerApprovalCommands } from "./commands/approval-commands.js";
import { registerMemoryCommands } from "./commands/memory-commands.js";
import { registerDreamCommand } from "./commands/dream-command.js";
import { registerTaskCommands } from "./commands/task-commands.js";
import { registerMcpCommands } from "./commands/mcp-commands.js";
import { EXIT, UsageError } from "./exit-codes.js";

/** Parses argv, runs one verb, and returns its exit code; never calls process.exit itself. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = _buildProgram(io, setExit);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return _exitCodeFor(error, io);
  }
}

function _buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command("vigil")
    .description("A proactive agent daemon that keeps watch for you.")
    .version(VERSION, "-v, --version")
    .enablePositionalOptions()
    .showHelpAfterError("(run `vigil --help` for the verbs)")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  registerInitCommand(program, io, setExit);
  registerStartCommand(program, io, setExit);
  registerStatusCommand(program, io, setExit);
  registerTellCommand(program, io, setExit);
  registerLogCommand(program, io, setExit);
  registerSubscriptionCommands(program, io, setExit);
  registerServiceCommands(program, io, setExit);
  registerReviewCommand(program, io, setExit);
  registerDoctorCommand(program, io, setExit);
  registerApprovalCommands(program, io, setExit);
  registerMemoryCommands(program, io, setExit);
  registerDreamCommand(program, io, setExit);
  registerTaskCommands(program, io, setExit);
  registerMcpCommands(program, io, setExit);
  _overrideExits(program);
  return program;
}

/** Every verb and sub-verb reports parse errors to runCli instead of exiting the process. */
function _overrideExits(command: Command): void {
  for (const sub of command.commands) {
    sub.exitOverride();
    _overrideExits(sub);
  }
}

function _exitCodeFor(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version are successes; every other parse failure is a usage error (2), not commander's 1.
    return ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code) && error.exitCode === 0
      ? EXIT.ok
      : EXIT.usage;
  }
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof DatabaseVersionError) {
    writeLine(io.stderr, `vigil: ${error.message}`);
    return EXIT.usage;
  }
  const storage = describeStorageError(error);
  if (storage) {
    writeLine(io.stderr, `vigil: ${storage}`);
    return EXIT.failed;
  }
  throw error;
}
