/** The store's schema cannot be used as it is (too old, too new, or not migratable by this login); the message says what to do. */
export class PostgresSchemaError extends Error {}
