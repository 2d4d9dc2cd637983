import type { PostgresTarget } from "./postgres-url.js";

/** Node's codes for a certificate the client would not accept. */
const CERTIFICATE_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * One sentence for a failure to reach or log in to PostgreSQL: what is wrong and what to do, with
 * the target as `user@host:port/database` (never the password). Undefined for anything else.
 */
export function describePostgresError(error: unknown, target: PostgresTarget): string | undefined {
  const code = _code(error);
  const message = error instanceof Error ? error.message : String(error);
  const at = `PostgreSQL at ${target.host}:${target.port}`;
  switch (code) {
    case "28P01":
      return `${at} refused the password of user "${target.user}": check the password in store.url (VIGIL_DATABASE_URL)`;
    case "3D000":
      return `${at} has no database "${target.database}": create it (createdb -O ${target.user} ${target.database}) or fix the database name in store.url`;
    case "28000":
      // "SSL off" up to PostgreSQL 13, "no encryption" since.
      if (/SSL off|no encryption/i.test(message)) return `${at} accepts user "${target.user}" only over TLS: add sslmode=require (and sslrootcert=FILE for a private CA) to store.url`;
      return `${at} does not let user "${target.user}" connect to "${target.database}" from here (pg_hba.conf or the role cannot log in): ask its administrator, or fix the user in store.url`;
    case "ECONNREFUSED":
      return `nothing is listening at ${target.host}:${target.port}: start PostgreSQL, or fix the host and port in store.url`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the host "${target.host}" in store.url cannot be resolved: fix the host, or check the network and DNS`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${at} cannot be reached (${code}): check the host and port in store.url, the network and any firewall between`;
    case "ECONNRESET":
      return `${at} closed the connection while it was being set up: check that the port is PostgreSQL's and, if it needs TLS, add sslmode=require to store.url`;
    case "53300":
      return `${at} has no connection slot left (too many clients): raise max_connections or lower the pools of the nodes using it`;
    case "57P03":
      return `${at} is starting up, shutting down or in recovery: wait for it, then start Vigil again`;
  }
  if (CERTIFICATE_CODES.has(code)) {
    return `${at} offered a TLS certificate this node does not trust (${code}): give its CA with sslrootcert=FILE in store.url, or fix the host name to the certificate's`;
  }
  if (/does not support SSL/i.test(message)) return `${at} does not offer TLS but store.url asks for it: remove sslmode from store.url, or enable ssl on the server`;
  if (/timeout/i.test(message)) return `${at} did not answer in time: check the host and port in store.url, the network, and that the server is up`;
  if (/client password must be a string|password authentication/i.test(message)) {
    return `${at} asks user "${target.user}" for a password and store.url has none: write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE`;
  }
  return undefined;
}

/** The SQLSTATE of a server error, or Node's code of a socket error (the first of several addresses tried). */
function _code(error: unknown): string {
  const direct = (error as { code?: unknown })?.code;
  if (typeof direct === "string" && direct) return direct;
  const first = (error as { errors?: unknown[] })?.errors?.[0];
  return String((first as { code?: unknown })?.code ?? "");
}
