import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { resolvePaths } from "../../paths/resolve-paths.js";
import { describeLingering, installService, planInstall, uninstallService, type CommandRunner, type ServiceEnvironment } from "../../service/install-service.js";
import { appendToEnvFile, listServiceSecrets, namesInEnvFile } from "../../service/service-secrets.js";
import { parseConfigText } from "../../config/load-config.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";

export function registerServiceCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("install")
    .description("install and start Vigil as a systemd user service (Linux) or launchd agent (macOS)")
    .option("--dry-run", "print what would be written and run, change nothing")
    .option("--env-from-shell", "write the secrets the config needs that this shell has into service.env (0600)")
    .action((options: InstallOptions) => setExit(runInstall(io, options)));
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
    script: path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../main.cjs"),
    vigilHome: resolvePaths(io.env).home,
    vigilConfig: io.env.VIGIL_CONFIG ? resolvePaths(io.env).config : undefined,
    user: io.env.USER || io.env.LOGNAME || os.userInfo().username,
    run,
  };
}

interface InstallOptions {
  dryRun?: boolean;
  envFromShell?: boolean;
}

export function runInstall(io: CliIo, options: InstallOptions, env = serviceEnvironment(io)): number {
  const plan = planInstall(env);
  _checkServiceEnv(io, env, options);
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
    for (const hint of [...plan.hints, describeLingering(env)].filter(Boolean)) writeLine(io.stdout, `  ${hint}`);
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

/**
 * The service does not get this shell's environment: name each secret the config needs that
 * service.env lacks, and with --env-from-shell write the ones this shell has.
 */
function _checkServiceEnv(io: CliIo, env: ServiceEnvironment, options: InstallOptions): void {
  const paths = resolvePaths(io.env);
  const config = parseConfigText(existsSync(paths.config) ? readFileSync(paths.config, "utf8") : "", paths.config);
  const envFile = path.join(env.vigilHome, "service.env");
  const present = namesInEnvFile(envFile);
  const missing = listServiceSecrets(config, io.env).filter((secret) => !present.has(secret.name));
  const carried = options.envFromShell && !options.dryRun ? missing.filter((secret) => io.env[secret.name]) : [];
  if (carried.length) {
    mkdirSync(path.dirname(envFile), { recursive: true, mode: 0o700 });
    appendToEnvFile(envFile, carried.map((secret) => [secret.name, io.env[secret.name]!]));
    writeLine(io.stdout, `wrote ${carried.map((secret) => secret.name).join(", ")} from this shell to ${envFile} (0600)`);
  }
  for (const secret of missing.filter((secret) => !carried.includes(secret))) {
    const how = io.env[secret.name] ? "vigil install --env-from-shell copies it from this shell" : `add ${secret.name}=… to it`;
    writeLine(io.stderr, `vigil: warning: the service will not have ${secret.name} (${secret.why}): ${envFile} does not set it; ${how}`);
  }
}

function _runCommand(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 30_000 });
  return { code: result.status ?? (result.error ? 127 : 1), stdout: result.stdout ?? "", stderr: result.stderr ?? (result.error?.message ?? "") };
}
