import { createRequire } from "node:module";
import pino, { type Logger } from "pino";
import type PinoPretty from "pino-pretty";
import { ConfigError } from "../config/config-error.js";
import type { Redactor } from "./redact-secrets.js";

export type { Logger } from "pino";

// pino-pretty is loaded only for a terminal: a one-shot verb or a service writes JSON and skips its load time.
const require = createRequire(import.meta.url);

export interface LoggerOptions {
  env?: NodeJS.ProcessEnv;
  redact: Redactor;
  /** Where lines go; stdout by default. Pretty output only when it is a terminal. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Operational log (not the journal): JSON lines, pretty on a TTY, every line passed through the redactor. */
export function createLogger({ env = process.env, redact, destination = process.stdout }: LoggerOptions): Logger {
  const level = env.VIGIL_LOG_LEVEL || "info";
  if (!(level in pino.levels.values) && level !== "silent") {
    throw new ConfigError({
      keyPath: "VIGIL_LOG_LEVEL",
      problem: `unknown log level "${level}"`,
      fix: `set VIGIL_LOG_LEVEL to one of: ${Object.keys(pino.levels.values).join(", ")}, silent`,
    });
  }
  const stream = destination.isTTY ? (require("pino-pretty") as typeof PinoPretty)({ sync: true, destination, colorize: true }) : destination;
  return pino(
    {
      name: "vigil",
      level,
      hooks: { streamWrite: (line) => redact(line) },
    },
    stream,
  );
}
