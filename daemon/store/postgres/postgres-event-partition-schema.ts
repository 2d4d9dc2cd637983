/**
 * The partition of an event, the unit turns are serialized by across nodes: `github:REPO` (a
 * followed repository), `files:ROOT` (a watch root), else its source (`user`, `schedule`, `clock`,
 * `command`, `task`). The same grouping as the SQLite queue's fold key (daemon/events/event-queue.ts)
 * with a partition for every source. An IMMUTABLE function of the row and an index on it, rather
 * than a column: vigil.events keeps SQLite's columns exactly, so `vigil store copy` and the schema
 * comparison see the same table in both dialects. `payload` is always JSON (the queue writes it).
 */
export function postgresEventPartitionSchema(runtimeRole: string): string {
  return `
CREATE FUNCTION vigil.event_partition(source text, payload text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE source
    WHEN 'github' THEN 'github:' || coalesce(payload::jsonb ->> 'repo', '')
    WHEN 'files' THEN 'files:' || coalesce(payload::jsonb ->> 'root', '')
    ELSE source
  END
$$;
CREATE INDEX events_pending_by_partition ON vigil.events (vigil.event_partition(source, payload), id) WHERE state = 'pending';
GRANT EXECUTE ON FUNCTION vigil.event_partition(text, text) TO ${runtimeRole};
`;
}
