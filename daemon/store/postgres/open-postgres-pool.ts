import type { Pool } from "pg";
import { createRedactor } from "../../logger/redact-secrets.js";
import { describePostgresError } from "./describe-postgres-error.js";
import { loadPg } from "./load-pg.js";
import { parsePostgresUrl, withStartupRole, type PostgresTarget } from "./postgres-url.js";

/** pg's Pool, named here so that code above the store needs no import of the driver. */
export type PostgresPool = Pool;

export class PostgresConnectionError extends Error {
  constructor(
    message: string,
    /** The SQLSTATE or socket code it came from ("" when there was none). */
    readonly code: string,
  ) {
    super(message);
  }
}

export interface PostgresPoolOptions {
  /** The store URL (a secret: it is never printed). */
  url: string;
  /** The role every connection acts as (the runtime's `vigil_runtime`); undefined: the URL's login itself (migrations). */
  role?: string;
  max?: number;
  connectTimeoutMs?: number;
  /** An idle connection's error (the server restarted): the next query fails and says so, this only hears of it. */
  onIdleError?: (error: Error) => void;
}

/**
 * A pg Pool on the store URL, proven by one query before it is handed out, so a wrong password,
 * database, host or TLS setting fails here with a sentence naming it (PostgresConnectionError).
 */
export async function openPostgresPool({ url, role, max = 10, connectTimeoutMs = 10_000, onIdleError = () => undefined }: PostgresPoolOptions): Promise<Pool> {
  const target = parsePostgresUrl(url);
  const { Pool } = loadPg();
  const pool = new Pool({ connectionString: role ? withStartupRole(url, role) : url, max, connectionTimeoutMillis: connectTimeoutMs, application_name: "vigil", keepAlive: true });
  pool.on("error", onIdleError);
  try {
    await pool.query("SELECT 1");
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw toPostgresConnectionError(error, target, role);
  }
}

/** The described error, or PostgreSQL's own message with the password taken out of it. */
export function toPostgresConnectionError(error: unknown, target: PostgresTarget, role?: string): PostgresConnectionError {
  const code = String((error as { code?: unknown })?.code ?? "");
  const sentence = (role && _describeRoleError(error, target, role)) || describePostgresError(error, target);
  if (sentence) return new PostgresConnectionError(sentence, code);
  const redact = createRedactor([target.password, encodeURIComponent(target.password)]);
  const message = error instanceof Error ? error.message : String(error);
  return new PostgresConnectionError(`PostgreSQL at ${target.host}:${target.port} (database "${target.database}", user "${target.user}"): ${redact(message)}`, code);
}

/** The login may not act as the runtime role, or the role is missing: both mean the store was not migrated by its owner. */
function _describeRoleError(error: unknown, target: PostgresTarget, role: string): string | undefined {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : "";
  if (!message.includes(role) || (code !== "42501" && code !== "22023")) return undefined;
  return `user "${target.user}" cannot act as the role ${role} in "${target.database}" (${code === "22023" ? "it does not exist" : "not granted to it"}): run \`vigil store migrate\` with the database owner's URL, which creates ${role} and grants it to the owner`;
}
