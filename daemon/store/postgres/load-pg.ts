import { createRequire } from "node:module";
import type * as Pg from "pg";

// Loaded on first use, through require: the SQLite default (every verb, every daemon without
// `store.engine: postgres`) never pays for loading the PostgreSQL client.
const require = createRequire(import.meta.url);

/** node-postgres (`pg`), the plain client: Pool, Client and its error types. */
export function loadPg(): typeof Pg {
  return require("pg") as typeof Pg;
}
