import { EVENT_SCHEMA } from "../events/event-schema.js";
import { JOURNAL_SCHEMA } from "../../logs/journal-schema.js";

export interface Migration {
  version: number;
  sql: string;
}

/** Ordered schema history of `vigil.db`; `PRAGMA user_version` records the last one applied. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, sql: JOURNAL_SCHEMA },
  { version: 2, sql: EVENT_SCHEMA },
];
