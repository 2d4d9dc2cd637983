import { PostgresConnectionError, toPostgresConnectionError } from "../postgres/open-postgres-pool.js";
import { PostgresSchemaError } from "../postgres/postgres-schema-error.js";
import type { PostgresTarget } from "../postgres/postgres-url.js";
import { StoreCopyError } from "./store-copy-error.js";

/**
 * What a failure on one end of a copy is told as: Vigil's own errors as they are, anything from
 * pg or the socket as a sentence naming the server (never the password), with its SQLSTATE kept.
 */
export function asPostgresFailure(error: unknown, target: PostgresTarget): Error {
  if (error instanceof StoreCopyError || error instanceof PostgresSchemaError || error instanceof PostgresConnectionError) return error;
  return toPostgresConnectionError(error, target);
}
