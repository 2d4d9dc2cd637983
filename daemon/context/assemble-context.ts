import { ConfigError } from "../config/config-error.js";
import type { LoadedConfig } from "../config/load-config.js";
import { mcpSecretValues } from "../config/resolve-env-values.js";
import { checkLogLevel, createLogger, type Logger } from "../logger/create-logger.js";
import { createRedactor, type Redactor } from "../logger/redact-secrets.js";
import type { VigilPaths } from "../paths/resolve-paths.js";
import { openDatabase, type VigilDatabase } from "../store/open-database.js";
import { MIGRATIONS } from "./migrations.js";
import { createJournal, type Journal } from "../../logs/journal.js";
import { createEventQueue, type EventQueue } from "../events/event-queue.js";

/** What every verb and the daemon work with; built once per process from the environment. */
export interface VigilContext {
  env: NodeJS.ProcessEnv;
  paths: VigilPaths;
  loaded: LoadedConfig;
  redact: Redactor;
  logger: Logger;
  db: VigilDatabase;
  journal: Journal;
  events: EventQueue;
  now: () => Date;
  close(): void;
}

export interface ContextOptions {
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  logDestination?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * `store.engine: postgres` reaches only the verbs built on the store port so far (`vigil log`,
 * `vigil log verify`: daemon/context/open-journal-reader.ts; `vigil store`); every other verb,
 * the daemon first, still needs this home's vigil.db. Refusing is better than quietly using the
 * local file while the config names a team store (a `vigil tell` the team's nodes never see).
 */
export function refuseUnsupportedEngine(loaded: LoadedConfig): void {
  if (loaded.config.store.engine === "sqlite") return;
  throw new ConfigError({
    keyPath: "store.engine",
    file: loaded.file,
    problem: "is postgres, which this Vigil's daemon and most verbs cannot run on yet; on PostgreSQL it can migrate and copy a store (vigil store migrate, vigil store copy) and read and verify its journal (vigil log, vigil log verify)",
    fix: "remove store.engine (sqlite, this home's vigil.db, is the default) to run the daemon; set it to postgres only to read a team store's journal",
  });
}

/** What is redacted from every row, log line and event: the config's secrets, the MCP servers' and the API key. */
export function redactorFor(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Redactor {
  return createRedactor([...loaded.secrets.values, ...mcpSecretValues(loaded.config, env), env.ANTHROPIC_API_KEY ?? ""]);
}

/**
 * Opens the database and the journal around a config already loaded: by `openContext`, or by the
 * CLI from its config cache, which is why this file imports neither yaml nor zod.
 */
export function assembleContext(paths: VigilPaths, loaded: LoadedConfig, { env = process.env, now = () => new Date(), logDestination }: ContextOptions = {}): VigilContext {
  refuseUnsupportedEngine(loaded);
  const redact = redactorFor(loaded, env);
  // A bad VIGIL_LOG_LEVEL fails here as ever; the logger itself (pino) is made on first use, which a verb that logs nothing skips.
  checkLogLevel(env);
  let logger: Logger | undefined;
  const db = openDatabase(paths.database, MIGRATIONS);
  // `zone`, not `timezone`: with no zone configured the journal's days need no Intl (see system-time-zone.ts).
  const journal = createJournal({ db, timeZone: loaded.zone, redact, now, logsDir: paths.logsDir });
  const events = createEventQueue({ db, redact, now });
  return {
    env,
    paths,
    loaded,
    redact,
    get logger() {
      return (logger ??= createLogger({ env, redact, destination: logDestination ?? process.stderr }));
    },
    db,
    journal,
    events,
    now,
    close: () => db.close(),
  };
}
