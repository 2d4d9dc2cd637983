import type { Command } from "commander";
import { NUDGE_SIGNAL } from "../../locks/nudge-daemon.js";
import { ConfigError } from "../../config/config-error.js";
import { openContext, type VigilContext } from "../../context/open-context.js";
import { LockHeldError } from "../../locks/instance-lock.js";
import { runDaemon } from "../../supervisor/run-daemon.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";

export function registerStartCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("start")
    .description("run the daemon in the foreground (the service manager daemonizes it)")
    .option("--once", "catch up, run one turn if anything is pending, and exit")
    .action(async (options: { once?: boolean }) => setExit(await runStart(io, options)));
}

export async function runStart(io: CliIo, options: { once?: boolean }): Promise<number> {
  let ctx: VigilContext | undefined;
  // Held for the whole run, --once included: an unhandled SIGUSR2 would end the process, and a
  // `vigil tell` may nudge it as soon as the lock holds our pid, before the heartbeat listens.
  const unguardNudges = _onSignal(NUDGE_SIGNAL, () => {});
  try {
    ctx = openContext({ env: io.env, now: io.now, logDestination: io.stdout });
    await runDaemon(ctx, {
      once: options.once,
      stopSignal: _nextStopSignal(),
      announce: (line) => writeLine(io.stderr, line),
      onReload: (reload) => _onSignal("SIGHUP", reload),
      onNudge: (nudge) => _onSignal(NUDGE_SIGNAL, nudge),
    });
    return EXIT.ok;
  } catch (error) {
    // 78 (EX_CONFIG): the service unit sets RestartPreventExitStatus=78, so no crash loop.
    if (error instanceof ConfigError) {
      writeLine(io.stderr, `vigil: ${error.message}`);
      return EXIT.daemonConfig;
    }
    if (error instanceof LockHeldError) {
      writeLine(io.stderr, `vigil: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  } finally {
    unguardNudges();
    ctx?.close();
  }
}

function _onSignal(signal: NodeJS.Signals, handler: () => void): () => void {
  process.on(signal, handler);
  return () => process.off(signal, handler);
}

function _nextStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
