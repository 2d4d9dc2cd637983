/** Tokens per day and model (daemon/brain/usage-schema.ts), added to by an `ON CONFLICT (day, model) DO UPDATE` upsert. */
export function postgresUsageSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.usage (
  day         text NOT NULL,
  model       text NOT NULL,
  calls       bigint NOT NULL DEFAULT 0,
  input       bigint NOT NULL DEFAULT 0,
  output      bigint NOT NULL DEFAULT 0,
  cache_read  bigint NOT NULL DEFAULT 0,
  cache_write bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (day, model)
);
GRANT SELECT, INSERT, UPDATE ON vigil.usage TO ${runtimeRole};
`;
}
