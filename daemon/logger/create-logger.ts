import { createRequire } from "node:module";
import type { Logger } from "pino";
import type PinoPretty from "pino-pretty";
import { ConfigError } from "../config/config-error.js";
import type { Redactor } from "./redact-secrets.js";

export type { Logger } from "pino";

// pino (about 20 ms of a one-shot verb's start) loads when the first logger is made, which a verb
// that logs nothing never does; pino-pretty only for a terminal: a service writes JSON.
const require = createRequire(import.meta.url);

/** pino's own level names: a level among them needs no pino loaded to be known good. */
const _PINO_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];

export interface LoggerOptions {
  env?: NodeJS.ProcessEnv;
  redact: Redactor;
  /** Where lines go; stdout by default. Pretty output only when it is a terminal. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Throws ConfigError when VIGIL_LOG_LEVEL names no level pino knows (or "silent"). */
export function checkLogLevel(env: NodeJS.ProcessEnv = process.env): void {
  const level = env.VIGIL_LOG_LEVEL || "info";
  if (_PINO_LEVELS.includes(level) || level === "silent") return;
  const pino = require("pino") as typeof import("pino");
  if (!(level in pino.levels.values)) {
    throw new ConfigError({
      keyPath: "VIGIL_LOG_LEVEL",
      problem: `unknown log level "${level}"`,
      fix: `set VIGIL_LOG_LEVEL to one of: ${Object.keys(pino.levels.values).join(", ")}, silent`,
    });
  }
}

/** Operational log (not the journal): JSON lines, pretty on a TTY, every line passed through the redactor. */
export function createLogger({ env = process.env, redact, destination = process.stdout }: LoggerOptions): Logger {
  checkLogLevel(env);
  const pino = require("pino") as typeof import("pino");
  const stream = destination.isTTY ? (require("pino-pretty") as typeof PinoPretty)({ sync: true, destination, colorize: true }) : destination;
  return pino.pino(
    {
      name: "vigil",
      level: env.VIGIL_LOG_LEVEL || "info",
      hooks: { streamWrite: (line) => redact(line) },
    },
    stream,
  );
}
