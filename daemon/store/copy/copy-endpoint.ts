import { parsePostgresUrl } from "../postgres/postgres-url.js";

/** One end of a copy: a SQLite file, or a PostgreSQL database by URL (a secret, never shown). */
export type StoreEndpoint = { engine: "sqlite"; file: string } | { engine: "postgres"; url: string };

/** What a message may name of an endpoint: the file, or `user@host:port/database`. */
export function describeEndpoint(endpoint: StoreEndpoint): string {
  return endpoint.engine === "sqlite" ? `SQLite ${endpoint.file}` : `PostgreSQL ${parsePostgresUrl(endpoint.url).label}`;
}
