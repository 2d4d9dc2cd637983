/**
 * The durable event queue. A source writes here before it acknowledges anything; `dedupe_key` is
 * unique so a redelivered webhook or a repeated file change is taken in once.
 */
export const EVENT_SCHEMA = `
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL,
  type        TEXT NOT NULL,
  dedupe_key  TEXT NOT NULL UNIQUE,
  trust       TEXT NOT NULL CHECK (trust IN ('trusted', 'untrusted')),
  urgent      INTEGER NOT NULL DEFAULT 0,
  summary     TEXT NOT NULL,
  payload     TEXT NOT NULL,
  received_at TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'claimed', 'done')),
  claimed_by  TEXT,
  done_at     TEXT
);
CREATE INDEX events_by_state ON events (state, id);
`;

/**
 * Failed turns per event, and a `quarantined` state for an event that keeps failing them. SQLite
 * cannot alter a CHECK constraint, so the table is rebuilt with its rows and index.
 */
export const EVENT_QUARANTINE_MIGRATION = `
CREATE TABLE events_new (
  id            INTEGER PRIMARY KEY,
  source        TEXT NOT NULL,
  type          TEXT NOT NULL,
  dedupe_key    TEXT NOT NULL UNIQUE,
  trust         TEXT NOT NULL CHECK (trust IN ('trusted', 'untrusted')),
  urgent        INTEGER NOT NULL DEFAULT 0,
  summary       TEXT NOT NULL,
  payload       TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'claimed', 'done', 'quarantined')),
  claimed_by    TEXT,
  done_at       TEXT,
  previous_turn TEXT,
  failures      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO events_new (id, source, type, dedupe_key, trust, urgent, summary, payload, received_at, state, claimed_by, done_at, previous_turn)
  SELECT id, source, type, dedupe_key, trust, urgent, summary, payload, received_at, state, claimed_by, done_at, previous_turn FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_by_state ON events (state, id);
`;
