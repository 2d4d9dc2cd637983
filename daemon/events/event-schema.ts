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
