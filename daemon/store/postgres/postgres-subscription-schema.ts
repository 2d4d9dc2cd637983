/**
 * Followed pull requests and their last known heads (daemon/github/subscription-schema.ts). Both
 * keys stay primary keys: subscribing again and recording a head are `ON CONFLICT (repo, number)`
 * upserts. An unsubscription is an UPDATE (ended_at), so the runtime deletes nothing.
 */
export function postgresSubscriptionSchema(runtimeRole: string): string {
  return `
CREATE TABLE vigil.subscriptions (
  repo       text NOT NULL,
  number     bigint NOT NULL,
  origin     text NOT NULL CHECK (origin IN ('config', 'cli', 'agent')),
  created_at text NOT NULL,
  ended_at   text,
  end_reason text,
  PRIMARY KEY (repo, number)
);
CREATE TABLE vigil.pr_heads (
  repo     text NOT NULL,
  number   bigint NOT NULL,
  head_sha text NOT NULL,
  PRIMARY KEY (repo, number)
);
CREATE INDEX pr_heads_by_sha ON vigil.pr_heads (head_sha);
GRANT SELECT, INSERT, UPDATE ON vigil.subscriptions, vigil.pr_heads TO ${runtimeRole};
`;
}
