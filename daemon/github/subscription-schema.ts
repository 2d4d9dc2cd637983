export const SUBSCRIPTION_SCHEMA = `
CREATE TABLE subscriptions (
  repo       TEXT NOT NULL,
  number     INTEGER NOT NULL,
  origin     TEXT NOT NULL CHECK (origin IN ('config', 'cli', 'agent')),
  created_at TEXT NOT NULL,
  ended_at   TEXT,
  end_reason TEXT,
  PRIMARY KEY (repo, number)
);
CREATE TABLE pr_heads (
  repo     TEXT NOT NULL,
  number   INTEGER NOT NULL,
  head_sha TEXT NOT NULL,
  PRIMARY KEY (repo, number)
);
CREATE INDEX pr_heads_by_sha ON pr_heads (head_sha);
`;
