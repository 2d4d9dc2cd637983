import path from "node:path";
import type { StoreEndpoint } from "../store/copy/copy-endpoint.js";
import { parsePostgresUrl, PostgresUrlError } from "../store/postgres/postgres-url.js";
import { UsageError } from "./exit-codes.js";

/**
 * A store named on the command line: a `postgres://` URL, `env:NAME` (the URL, or a file, from a
 * variable of the environment or service.env, so the password stays out of `ps` and shell
 * history), or a SQLite `FILE.db`. The value is never echoed back: it may hold a password.
 */
export function parseStoreEndpoint(value: string, flag: string, env: NodeJS.ProcessEnv, cwd = process.cwd()): StoreEndpoint {
  let text = value;
  const named = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  if (named) {
    text = env[named[1]!] ?? "";
    if (!text) throw new UsageError(`${flag} env:${named[1]}: ${named[1]} is not set (in the environment or $VIGIL_HOME/service.env): set it to the store's postgres:// URL`);
  }
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      parsePostgresUrl(text, env);
    } catch (error) {
      if (error instanceof PostgresUrlError) throw new UsageError(namingUrlOrigin(error.message, describeUrlOrigin(value, flag)));
      throw error;
    }
    return { engine: "postgres", url: text };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw new UsageError(`${flag} takes a postgres:// URL or a SQLite FILE.db, not a ${text.split(":")[0]}:// URL`);
  if (!text.endsWith(".db")) throw new UsageError(`${flag} takes a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL or a SQLite file ending in .db`);
  return { engine: "sqlite", file: path.resolve(cwd, text) };
}

/** Where a URL came from, as a message should name it: the variable of `env:NAME`, else the flag. */
export function describeUrlOrigin(value: string, flag: string): string {
  const named = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  return named ? named[1]! : `the URL of ${flag}`;
}

/** A message of the store's, which names the config key `store.url`, naming where this URL came from instead. */
export function namingUrlOrigin(message: string, origin: string): string {
  return message.replaceAll("store.url (VIGIL_DATABASE_URL)", origin).replaceAll("store.url", origin);
}
