/**
 * The action ledger (daemon/tools/action-schema.ts): a row is started before the tool runs and
 * finished by UPDATE; never deleted, since it is what stops an action from running twice.
 */
export function postgresActionSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.actions (
  id          text PRIMARY KEY,
  turn_id     text NOT NULL,
  tool        text NOT NULL,
  input_hash  text NOT NULL,
  input       text NOT NULL,
  state       text NOT NULL CHECK (state IN ('started', 'done', 'failed', 'unknown')),
  outcome     text,
  started_at  text NOT NULL,
  finished_at text
);
CREATE INDEX actions_by_tool_input ON vigil.actions (tool, input_hash);
GRANT SELECT, INSERT, UPDATE ON vigil.actions TO ${runtimeRole};
`;
}
