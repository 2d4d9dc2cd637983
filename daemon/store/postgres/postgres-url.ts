/** The parts of a store URL that may be shown: never the password (the whole URL is a secret). */
export interface PostgresTarget {
  user: string;
  host: string;
  port: number;
  database: string;
  /** `user@host:port/database`, for messages. */
  label: string;
  /** The password, to redact from a server's message; never to print. */
  password: string;
}

export class PostgresUrlError extends Error {}

const URL_SHAPE = "postgres://USER:PASSWORD@HOST:PORT/DATABASE";

/**
 * Reads a `postgres://` (or `postgresql://`) URL as pg does: a missing user is PGUSER's or the
 * login's, a missing database the user's. The error names the shape expected, not the input.
 */
export function parsePostgresUrl(url: string, env: NodeJS.ProcessEnv = process.env, loginName = env.USER ?? "postgres"): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Node's TypeError carries the input: the password would ride along.
    throw new PostgresUrlError(`store.url is not a URL: write it as ${URL_SHAPE} (the value itself is not shown, it holds a password)`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new PostgresUrlError(`store.url starts with "${parsed.protocol}//", not postgres://: write it as ${URL_SHAPE}`);
  }
  const user = decodeURIComponent(parsed.username) || env.PGUSER || loginName;
  const host = parsed.searchParams.get("host") ?? (parsed.hostname.replace(/^\[(.+)\]$/, "$1") || env.PGHOST || "localhost");
  const port = Number(parsed.searchParams.get("port") ?? (parsed.port || env.PGPORT || 5432));
  const database = decodeURIComponent(parsed.pathname.slice(1)) || env.PGDATABASE || user;
  return { user, host, port, database, label: `${user}@${host}:${port}/${database}`, password: decodeURIComponent(parsed.password) };
}

/**
 * How long a runtime connection may sit in an open transaction doing nothing before the server
 * ends it (rolling it back). A node that stops mid-transaction (a laptop put to sleep, a process
 * stopped) holds the journal's head lock until then: every other node's appends wait for it.
 */
export const RUNTIME_IDLE_IN_TRANSACTION_MS = 30_000;

/**
 * The URL with `-c role=ROLE` in its startup options: every connection of the pool acts as the
 * runtime role from its first statement, with no SET ROLE a reused connection could miss; and
 * with an idle-in-transaction timeout, so a stalled node cannot hold the others up for longer.
 */
export function withStartupRole(url: string, role: string): string {
  const parsed = new URL(url);
  const options = parsed.searchParams.get("options");
  parsed.searchParams.set("options", `${options ? `${options} ` : ""}-c role=${role} -c idle_in_transaction_session_timeout=${RUNTIME_IDLE_IN_TRANSACTION_MS}`);
  return parsed.toString();
}
