import { existsSync, writeFileSync } from "node:fs";
import { makePrivateHome, PRIVATE_FILE_MODE } from "../../store/private-files.js";
import path from "node:path";
import type { Command } from "commander";
import { DEFAULT_CONFIG_TEXT } from "../../config/default-config-text.js";
import { resolvePaths } from "../../paths/resolve-paths.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";

export function registerInitCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("init")
    .description("write a commented config.yaml with safe defaults")
    .option("--force", "overwrite an existing config file")
    .action((options: { force?: boolean }) => setExit(runInit(io, options)));
}

export function runInit(io: CliIo, { force = false }: { force?: boolean }): number {
  const { config } = resolvePaths(io.env);
  if (existsSync(config) && !force) {
    writeLine(io.stderr, `${config} already exists; run \`vigil init --force\` to replace it with the defaults`);
    return EXIT.usage;
  }
  makePrivateHome(path.dirname(config));
  // 0600: the file names which variables hold secrets, and users do paste things into configs.
  writeFileSync(config, DEFAULT_CONFIG_TEXT, { mode: PRIVATE_FILE_MODE });
  writeLine(io.stdout, `wrote ${config}`);
  return EXIT.ok;
}
