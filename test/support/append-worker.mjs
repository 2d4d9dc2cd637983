// A second process that appends to the journal through the built modules, as `vigil tell` would.
// argv: home, count, label. Prints each returned seq on its own line, so a parent that kills it
// knows exactly which appends had returned.
import path from "node:path";
import { createRedactor } from "../../dist/daemon/logger/redact-secrets.js";
import { MIGRATIONS } from "../../dist/daemon/context/migrations.js";
import { openDatabase } from "../../dist/daemon/store/open-database.js";
import { createJournal } from "../../dist/logs/journal.js";

const [home, countText, label] = process.argv.slice(2);
const db = openDatabase(path.join(home, "vigil.db"), MIGRATIONS);
const journal = createJournal({ db, timeZone: "UTC", redact: createRedactor(), logsDir: path.join(home, "logs") });
const count = Number(countText);
// Wait for the parent's go, so several workers start appending at the same moment.
if (process.send) {
  process.send("ready");
  await new Promise((resolve) => process.once("message", resolve));
  process.disconnect();
}
for (let i = 0; i < count; i++) {
  const entry = journal.append({ kind: "noticed", summary: `${label} ${i}`, data: { label, i } });
  process.stdout.write(`${entry.seq}\n`);
  // A breath now and then, like a real writer; without it SQLite's busy backoff lets one writer
  // take every turn and the two processes would never actually interleave.
  if (i % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 3));
}
db.close();
