import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { resolvePaths, type VigilPaths } from "../../paths/resolve-paths.js";
import { runningDaemon, stopDaemon, waitUntil } from "../../locks/signal-daemon.js";
import { serviceCommandFor, type LifecycleVerb } from "../../service/service-control.js";
import { openDatabase } from "../../store/open-database.js";
import { MIGRATIONS } from "../../context/migrations.js";
import { queryEntries } from "../../../logs/query-entries.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";
import { serviceEnvironment } from "./service-commands.js";
import { readHeadSeq } from "../../../logs/read-head-seq.js";

/** How long a reload may take to show up in the journal: it re-reads the config and the watch roots. */
const RELOAD_WAIT_MS = 15_000;
const START_WAIT_MS = 20_000;

export function registerLifecycleCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const verbs: Array<[LifecycleVerb, string]> = [
    ["stop", "stop the daemon (through the service manager when installed, else SIGTERM to its pid)"],
    ["restart", "stop and start the daemon again (the service, or a background `vigil start`)"],
    ["reload", "re-read config.yaml in the running daemon (SIGHUP) and say what it did"],
  ];
  for (const [verb, description] of verbs) {
    program
      .command(verb)
      .description(description)
      .action(async () => setExit(await runLifecycle(io, verb)));
  }
}

export async function runLifecycle(io: CliIo, verb: LifecycleVerb): Promise<number> {
  // No config is loaded: stopping or reloading must work while config.yaml is broken.
  const paths = resolvePaths(io.env);
  const service = serviceCommandFor(verb, serviceEnvironment(io));
  if (service) return _throughService(io, service, verb, paths);
  if (verb === "stop") return _stop(io, paths);
  if (verb === "reload") return reloadRunningDaemon(io);
  const stopped = await _stop(io, paths);
  return stopped === EXIT.ok ? _startInBackground(io, paths) : stopped;
}

function _throughService(io: CliIo, [command, ...args]: string[], verb: LifecycleVerb, paths: VigilPaths): number | Promise<number> {
  const head = verb === "reload" ? _readHeadSeqOf(paths) : 0;
  const result = spawnSync(command!, args, { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) {
    writeLine(io.stderr, `vigil: ${command} ${args.join(" ")} failed (${result.status ?? result.error?.message}): ${(result.stderr ?? "").trim()}`);
    return EXIT.failed;
  }
  writeLine(io.stdout, `${verb}: done through ${command} ${args.join(" ")}`);
  return verb === "reload" ? _reportReload(io, paths, head) : EXIT.ok;
}

async function _stop(io: CliIo, paths: VigilPaths): Promise<number> {
  const holder = runningDaemon(paths.lockFile);
  if (!holder) {
    writeLine(io.stdout, "vigil is not running");
    return EXIT.ok;
  }
  if (!(await stopDaemon(holder))) {
    writeLine(io.stderr, `vigil: pid ${holder.pid} did not stop within 35 s; it may be finishing a tool call. Try again, or kill -9 ${holder.pid}`);
    return EXIT.failed;
  }
  writeLine(io.stdout, `stopped vigil (pid ${holder.pid})`);
  return EXIT.ok;
}

/** SIGHUP to the daemon in the lock, then its own verdict from the journal. */
export async function reloadRunningDaemon(io: CliIo): Promise<number> {
  const paths = resolvePaths(io.env);
  const holder = runningDaemon(paths.lockFile);
  if (!holder) {
    writeLine(io.stderr, "vigil is not running: nothing to reload (the next vigil start reads the config)");
    return EXIT.failed;
  }
  const head = _readHeadSeqOf(paths);
  process.kill(holder.pid, "SIGHUP");
  return _reportReload(io, paths, head);
}

/** The daemon journals every reload, good or bad: wait for that row and print it. */
async function _reportReload(io: CliIo, paths: VigilPaths, afterSeq: number): Promise<number> {
  let row: { summary: string; data: Record<string, unknown> } | undefined;
  const db = openDatabase(paths.database, MIGRATIONS);
  try {
    await waitUntil(() => {
      row = queryEntries(db, { afterSeq }).find((entry) => entry.data.event === "reloaded" || entry.data.event === "reload-failed");
      return row !== undefined;
    }, RELOAD_WAIT_MS);
  } finally {
    db.close();
  }
  if (!row) {
    writeLine(io.stderr, `vigil: the daemon did not confirm the reload within ${RELOAD_WAIT_MS / 1000} s; see vigil log -n 5`);
    return EXIT.failed;
  }
  writeLine(row.data.event === "reloaded" ? io.stdout : io.stderr, row.summary);
  return row.data.event === "reloaded" ? EXIT.ok : EXIT.failed;
}

/** Without a service manager, restart leaves a `vigil start` running in the background, its output in run/daemon.log. */
async function _startInBackground(io: CliIo, paths: VigilPaths): Promise<number> {
  mkdirSync(paths.runDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(paths.runDir, "daemon.log");
  const out = openSync(logFile, "a", 0o600);
  const child = spawn(process.execPath, [serviceEnvironment(io).script, "start"], { env: io.env, detached: true, stdio: ["ignore", out, out] });
  let exited: number | null | undefined;
  child.on("exit", (code) => (exited = code));
  child.unref();
  const up = await waitUntil(() => exited !== undefined || runningDaemon(paths.lockFile)?.pid === child.pid, START_WAIT_MS);
  if (!up || exited !== undefined) {
    const tail = readFileSync(logFile, "utf8").trim().split("\n").slice(-3).join("\n");
    writeLine(io.stderr, `vigil: the daemon did not start${exited !== undefined ? ` (exit ${exited})` : ""}:\n${tail}`);
    return EXIT.failed;
  }
  writeLine(io.stdout, `started vigil (pid ${child.pid}); its output goes to ${logFile}`);
  return EXIT.ok;
}

/** The head seq from a connection of its own, closed again (the verb has no context open). */
function _readHeadSeqOf(paths: VigilPaths): number {
  const db = openDatabase(paths.database, MIGRATIONS);
  try {
    return readHeadSeq(db);
  } finally {
    db.close();
  }
}
