/** A statement: its text, or a config with `name` to have it prepared once per connection and reused. */
export type PostgresStatement = string | { name?: string; text: string; values?: unknown[] };

/**
 * What the PostgreSQL store needs of a connection: a pg Pool, or one PoolClient inside a
 * transaction. Structural, so the store's modules do not import pg's classes at load time.
 */
export interface PostgresQueryable {
  query<Row extends object = Record<string, unknown>>(statement: PostgresStatement, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}
