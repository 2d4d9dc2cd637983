import type { TranscriptRow } from "../store-records.js";
import type { PostgresQueryable } from "./postgres-queryable.js";

// The trigger vigil.transcript_to_recall indexes it for recall; a second save of a turn keeps the first.
const INSERT = { name: "vigil_transcripts_insert", text: "INSERT INTO vigil.transcripts (turn_id, ts, day, body) VALUES ($1, $2, $3, $4) ON CONFLICT (turn_id) DO NOTHING" };

/** Past turns' transcripts on PostgreSQL (memory/transcripts.ts renders them). */
export function createPostgresTranscripts(db: PostgresQueryable): { insert(row: TranscriptRow): Promise<void> } {
  return { insert: async ({ turnId, ts, day, body }) => void (await db.query({ ...INSERT, values: [turnId, ts, day, body] })) };
}
