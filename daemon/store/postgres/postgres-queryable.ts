/**
 * What the PostgreSQL store needs of a connection: a pg Pool, or one PoolClient inside a
 * transaction. Structural, so the store's modules do not import pg's classes at load time.
 */
export interface PostgresQueryable {
  query<Row extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}
