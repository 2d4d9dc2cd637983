import path from "node:path";
import { createRedactor } from "../../daemon/logger/redact-secrets.js";
import { openDatabase } from "../../daemon/store/open-database.js";
import { MIGRATIONS } from "../../daemon/context/migrations.js";
import { createJournal } from "../../logs/journal.js";

/** A real journal on a real SQLite file in `home`. */
export function openTestJournal(home: string, options: { secrets?: string[]; now?: () => Date; timeZone?: string } = {}) {
  const db = openDatabase(path.join(home, "vigil.db"), MIGRATIONS);
  const journal = createJournal({
    db,
    timeZone: options.timeZone ?? "UTC",
    redact: createRedactor(options.secrets ?? []),
    now: options.now,
    logsDir: path.join(home, "logs"),
  });
  return { db, journal };
}
