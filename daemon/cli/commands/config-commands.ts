import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { ConfigError } from "../../config/config-error.js";
import { DEFAULT_CONFIG_TEXT } from "../../config/default-config-text.js";
import { addWatchRoot, removeWatchRoot } from "../../config/edit-watch-list.js";
import { parseConfigText } from "../../config/load-config.js";
import { expandHome } from "../../paths/expand-home.js";
import { resolvePaths } from "../../paths/resolve-paths.js";
import { runningDaemon } from "../../locks/signal-daemon.js";
import { writeFileAtomic } from "../../store/write-file-atomic.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { reloadRunningDaemon } from "./lifecycle-commands.js";

export function registerConfigCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const config = program.command("config").description("the config file: edit it safely");
  config
    .command("edit")
    .description("open config.yaml in $VISUAL/$EDITOR, validate it, save it only when valid, and reload the daemon")
    .action(async () => setExit(await runConfigEdit(io)));
  const watch = program.command("watch").description("the folders Vigil watches (edits watch: in config.yaml, keeping its comments)");
  watch
    .command("add")
    .argument("<path>", "a folder to watch")
    .description("watch a folder")
    .action(async (root: string) => setExit(await runWatchEdit(io, "add", root)));
  watch
    .command("remove")
    .argument("<path>", "a watched folder")
    .description("stop watching a folder")
    .action(async (root: string) => setExit(await runWatchEdit(io, "remove", root)));
  watch
    .command("list")
    .option("--json", "one JSON object per line")
    .description("the watched folders, and whether each exists")
    .action((options: { json?: boolean }) => setExit(runWatchList(io, options)));
}

/** Like visudo: the edit goes to a copy; only a copy that validates replaces the file. */
export async function runConfigEdit(io: CliIo): Promise<number> {
  const file = resolvePaths(io.env).config;
  const draft = path.join(path.dirname(file), `.config.edit.${process.pid}.yaml`);
  mkdirSync(path.dirname(file), { recursive: true });
  if (existsSync(file)) copyFileSync(file, draft);
  else writeFileSync(draft, DEFAULT_CONFIG_TEXT, { mode: 0o600 });
  try {
    const editor = io.env.VISUAL || io.env.EDITOR || "vi";
    // Through the shell: EDITOR may carry arguments ("code --wait").
    const edited = spawnSync("/bin/sh", ["-c", `${editor} "$1"`, "sh", draft], { stdio: "inherit", env: io.env });
    if (edited.status !== 0) {
      writeLine(io.stderr, `vigil: the editor (${editor}) exited with ${edited.status ?? edited.error?.message}; ${file} is unchanged`);
      return EXIT.failed;
    }
    const text = readFileSync(draft, "utf8");
    try {
      // The schema only: secrets are the daemon's to resolve (it may have service.env).
      parseConfigText(text, file);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeLine(io.stderr, `vigil: ${error.message}\n${file} is unchanged; run vigil config edit again to fix it`);
      return EXIT.usage;
    }
    _saveConfig(file, text);
    writeLine(io.stdout, `saved ${file}`);
    return _reloadIfRunning(io);
  } finally {
    rmSync(draft, { force: true });
  }
}

export async function runWatchEdit(io: CliIo, verb: "add" | "remove", root: string): Promise<number> {
  const file = resolvePaths(io.env).config;
  const absolute = expandHome(root, io.env);
  if (verb === "add" && !existsSync(absolute)) throw new UsageError(`${absolute} does not exist; create it first, or check the spelling`);
  const text = existsSync(file) ? readFileSync(file, "utf8") : DEFAULT_CONFIG_TEXT;
  const same = (written: string) => expandHome(written, io.env) === absolute;
  // Written with ~ when under the home directory: the file stays readable and portable.
  const home = io.env.HOME ? path.resolve(io.env.HOME) : undefined;
  const written = home && absolute.startsWith(`${home}${path.sep}`) ? `~/${path.relative(home, absolute)}` : absolute;
  const edit = verb === "add" ? addWatchRoot(text, written, same) : removeWatchRoot(text, same);
  if (!edit.changed) {
    writeLine(io.stdout, verb === "add" ? `already watching ${absolute}` : `was not watching ${absolute}`);
    return verb === "add" ? EXIT.ok : EXIT.failed;
  }
  parseConfigText(edit.text, file); // never save a file the daemon would refuse
  _saveConfig(file, edit.text);
  writeLine(io.stdout, `${verb === "add" ? "watching" : "no longer watching"} ${absolute} (${file})`);
  return _reloadIfRunning(io);
}

export function runWatchList(io: CliIo, options: { json?: boolean }): number {
  const file = resolvePaths(io.env).config;
  const config = parseConfigText(existsSync(file) ? readFileSync(file, "utf8") : "", file);
  for (const root of config.watch) {
    const absolute = expandHome(root.path, io.env);
    const exists = existsSync(absolute);
    writeLine(io.stdout, options.json ? JSON.stringify({ path: root.path, absolute, exists, ignore: root.ignore }) : `${absolute}${exists ? "" : "  (missing)"}${root.ignore.length ? `  ignore: ${root.ignore.join(", ")}` : ""}`);
  }
  if (!options.json && config.watch.length === 0) writeLine(io.stderr, "watching nothing; add a folder with vigil watch add PATH");
  return EXIT.ok;
}

function _saveConfig(file: string, text: string): void {
  writeFileAtomic(file, text);
  chmodSync(file, 0o600);
}

async function _reloadIfRunning(io: CliIo): Promise<number> {
  if (!runningDaemon(resolvePaths(io.env).lockFile)) {
    writeLine(io.stdout, "Vigil is not running; it reads the file when it starts");
    return EXIT.ok;
  }
  return reloadRunningDaemon(io);
}
