/** One row per turn (daemon/brain/turn-schema.ts), closed (or marked interrupted at start) by UPDATE. */
export function postgresTurnSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.turns (
  id         text PRIMARY KEY,
  reason     text NOT NULL,
  started_at text NOT NULL,
  ended_at   text,
  outcome    text CHECK (outcome IN ('quiet', 'acted', 'failed', 'interrupted'))
);
GRANT SELECT, INSERT, UPDATE ON vigil.turns TO ${runtimeRole};
`;
}
