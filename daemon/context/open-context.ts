import { loadConfig, type LoadedConfig } from "../config/load-config.js";
import { mcpSecretValues } from "../config/resolve-env-values.js";
import { createLogger, type Logger } from "../logger/create-logger.js";
import { createRedactor, type Redactor } from "../logger/redact-secrets.js";
import { resolvePaths, type VigilPaths } from "../paths/resolve-paths.js";
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
  /** A config already loaded (or the defaults), instead of reading the file. */
  loaded?: LoadedConfig;
}

/** Loads config (throws ConfigError), opens the database and the journal. */
export function openContext({ env = process.env, now = () => new Date(), logDestination, loaded: given }: ContextOptions = {}): VigilContext {
  const paths = resolvePaths(env);
  const loaded = given ?? loadConfig(paths.config, env);
  const redact = createRedactor([...loaded.secrets.values, ...mcpSecretValues(loaded.config, env), env.ANTHROPIC_API_KEY ?? ""]);
  const logger = createLogger({ env, redact, destination: logDestination ?? process.stderr });
  const db = openDatabase(paths.database, MIGRATIONS);
  const journal = createJournal({ db, timeZone: loaded.timezone, redact, now, logsDir: paths.logsDir });
  const events = createEventQueue({ db, redact, now });
  return { env, paths, loaded, redact, logger, db, journal, events, now, close: () => db.close() };
}
