import type { Migration } from "../open-database.js";
import { postgresJournalSchema } from "./postgres-journal-schema.js";
import { POSTGRES_RUNTIME_ROLE, POSTGRES_RUNTIME_ROLE_SCHEMA } from "./postgres-runtime-role-schema.js";

/**
 * The PostgreSQL schema's history, in order; `vigil.schema_version` holds the last one applied.
 * Its numbers are its own, not SQLite's `user_version`: the two dialects move separately.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  // 1: the runtime role, and the journal (append-only, hash-chained, appended by journal_append).
  { version: 1, sql: [POSTGRES_RUNTIME_ROLE_SCHEMA, postgresJournalSchema(POSTGRES_RUNTIME_ROLE)].join("\n") },
];
