import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { resolvePaths } from "../../paths/resolve-paths.js";
import { installService, planInstall, uninstallService, type CommandRunner, type ServiceEnvironment } from "../../service/install-service.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";

export function registerServiceCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("install")
    .description("install and start Vigil as a systemd user service (Linux) or launchd agent (macOS)")
    .option("--dry-run", "print what would be written and run, change nothing")
    .action((options: { dryRun?: boolean }) => setExit(runInstall(io, options)));
  program
    .command("uninstall")
    .description("stop the service and remove it")
    .action(() => setExit(runUninstall(io)));
}

/** The real machine: this node, this script, this user; tests inject their own runner. */
export function serviceEnvironment(io: CliIo, run: CommandRunner = _runCommand): ServiceEnvironment {
  return {
    platform: process.platform,
    userHome: io.env.HOME ?? os.homedir(),
    uid: process.getuid?.() ?? 0,
    node: process.execPath,
    script: path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../main.js"),
    vigilHome: resolvePaths(io.env).home,
    run,
  };
}

export function runInstall(io: CliIo, options: { dryRun?: boolean }, env = serviceEnvironment(io)): number {
  const plan = planInstall(env);
  for (const warning of plan.warnings) writeLine(io.stderr, `vigil: warning: ${warning}`);
  if (options.dryRun) {
    writeLine(io.stdout, `would write ${plan.file}:\n`);
    io.stdout.write(plan.content);
    writeLine(io.stdout, `\nwould run:\n${plan.commands.map((command) => `  ${command.join(" ")}`).join("\n")}`);
    return EXIT.ok;
  }
  try {
    const { changed } = installService(env, plan);
    writeLine(io.stdout, changed ? `installed ${plan.file} and started it (${plan.manager})` : `already installed: ${plan.file} is up to date`);
    for (const hint of plan.hints) writeLine(io.stdout, `  ${hint}`);
    return EXIT.ok;
  } catch (error) {
    writeLine(io.stderr, `vigil: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

export function runUninstall(io: CliIo, env = serviceEnvironment(io)): number {
  try {
    const { removed, file } = uninstallService(env);
    writeLine(io.stdout, removed ? `stopped and removed ${file}` : `not installed (no ${file})`);
    return EXIT.ok;
  } catch (error) {
    writeLine(io.stderr, `vigil: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

function _runCommand(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 30_000 });
  return { code: result.status ?? (result.error ? 127 : 1), stdout: result.stdout ?? "", stderr: result.stderr ?? (result.error?.message ?? "") };
}
