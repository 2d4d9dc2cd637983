/**
 * The layers of Vigil (docs/DESIGN.md, "Layers"), lowest first. An import may point down or
 * sideways within its layer, never up, and never in a circle. `npm run lint:deps` checks this in
 * `npm test`; each rule's comment is what a failing import is told.
 */
const GROUND = "^daemon/(store|config|paths|logger|locks|toolkit|state)/|^daemon/version\\.ts$";
const JOURNAL_AND_QUEUE = "^logs/|^daemon/(events|context)/";
const SOURCES_MEMORY_POLICY = "^daemon/(sources|github|http|policy)/|^memory/";
const BRAIN_AND_ACTIONS = "^daemon/(brain|tools|notify|tasks)/";
const SUPERVISOR_AND_REVIEW = "^daemon/(supervisor|heartbeat|schedule|review|eval|doctor|service)/";
const CLI = "^daemon/cli/";
const ABOVE_JOURNAL = [SOURCES_MEMORY_POLICY, BRAIN_AND_ACTIONS, SUPERVISOR_AND_REVIEW, CLI];
/** A table's schema: a constant of SQL that imports nothing, so composing the migrations pulls in no feature. */
const TABLE_SCHEMA = "^(daemon|memory|logs)/.+-schema\\.ts$";
/** What the dream and sub-turns may use of the brain: the model client, what it hands back, and how a request marks its cached prefix. */
/**
 * The journal's pure encoding (canonical JSON, the row hash, the local day, the entry shape and its
 * kinds), which imports only the ground: a store adapter writes rows exactly as logs/journal.ts does.
 */
const JOURNAL_ENCODING = "^logs/(canonical-json|hash-entry|local-day|journal-entry|journal-kinds|storable-text|check-chain-row)\\.ts$";
/** Journal modules a store adapter names the types of (JournalInput, ChainVerdict, JournalReader, EntryQuery) and never loads. */
const JOURNAL_TYPES = "^logs/(journal|journal-reader|query-entries|verify-chain)\\.ts$";
/** The database drivers, and their type packages. */
const DRIVERS = "^node_modules/(@types/)?(pg|better-sqlite3)/";
const MODEL_CLIENT = "^daemon/brain/(model-client|usage-ledger|text-of-reply|prompt/fence-untrusted|prompt/cache-breakpoints)\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import circle: one of these modules must stop knowing the other (pass a value in, or move the shared part down a layer).",
      from: {},
      to: { circular: true },
    },
    {
      name: "ground-imports-no-feature",
      severity: "error",
      comment:
        "The ground (store, config, paths, logger, locks, tool kit, state) is what every feature stands on: it may import only the ground. Have the feature hand the ground what it needs (as the migrations list is handed to openDatabase).",
      from: { path: GROUND, pathNot: "^daemon/store/postgres/" },
      to: { path: "^(daemon|logs|memory)/", pathNot: GROUND },
    },
    {
      name: "postgres-store-imports-only-the-journal-encoding",
      severity: "error",
      comment:
        "The PostgreSQL store (daemon/store/postgres/) is ground that writes the journal's rows: besides the ground it may import only the journal's pure encoding (canonical JSON, hash-entry, local-day, journal-entry, journal-kinds, storable-text, check-chain-row). Move what else it needs down beside those, or hand it in.",
      from: { path: "^daemon/store/postgres/" },
      to: { path: "^(daemon|logs|memory)/", pathNot: [GROUND, JOURNAL_ENCODING, JOURNAL_TYPES] },
    },
    {
      name: "postgres-store-names-journal-types-only",
      severity: "error",
      comment: "The PostgreSQL store may name logs/journal.ts's and logs/verify-chain.ts's types (import type), never load them: they are SQLite's journal.",
      from: { path: "^daemon/store/postgres/" },
      to: { path: JOURNAL_TYPES, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "only-the-store-imports-a-driver",
      severity: "error",
      comment:
        "Only daemon/store/ talks to a database driver (pg, better-sqlite3): the rest of Vigil goes through the store, so either engine can sit under it. Take a store function (or its VigilDatabase type) instead.",
      from: { pathNot: "^daemon/store/" },
      to: { path: DRIVERS },
    },
    {
      name: "journal-is-a-leaf",
      severity: "error",
      comment: "logs/ (the journal) is a leaf that others read: it imports only the ground. Put what reads the journal with other features above them (e.g. daemon/review/).",
      from: { path: "^logs/" },
      to: { path: "^(daemon|memory)/", pathNot: GROUND },
    },
    {
      name: "queue-and-context-import-no-feature",
      severity: "error",
      comment:
        "The event queue and the context sit on layer 2 with the journal: they import nothing above it. The context composes every feature's table schema, and only those leaf *-schema.ts files.",
      from: { path: "^daemon/(events|context)/" },
      to: { path: ABOVE_JOURNAL, pathNot: TABLE_SCHEMA },
    },
    {
      name: "table-schemas-are-leaves",
      severity: "error",
      comment: "A *-schema.ts file holds SQL only: importing a feature from it would drag that feature into every process that opens the database.",
      from: { path: TABLE_SCHEMA, pathNot: "^daemon/config/" },
      to: { pathNot: "^logs/journal-kinds\\.ts$" },
    },
    {
      name: "memory-imports-no-action-tool",
      severity: "error",
      comment:
        "The dream child must not be able to reach an action tool even by import: memory/ owns its memory tools and uses the tool kit (daemon/toolkit/); other tools a sub-turn may use are handed in from above.",
      from: { path: "^memory/" },
      to: { path: "^daemon/tools/" },
    },
    {
      name: "memory-uses-only-the-model-client",
      severity: "error",
      comment: "memory/ sits below the brain; of it, the dream worker and sub-turns use only the model client (DESIGN.md: the dream worker imports nothing from layer 4 but the model client).",
      from: { path: "^memory/" },
      to: { path: BRAIN_AND_ACTIONS, pathNot: MODEL_CLIENT },
    },
    {
      name: "sources-import-no-brain-or-tools",
      severity: "error",
      comment: "Sources (files, GitHub, HTTP intake, clock) only take events in: they never call the model or a tool. Put the event on the queue and let the turn decide.",
      from: { path: "^daemon/(sources|github|http)/" },
      to: { path: "^daemon/(brain|tools)/" },
    },
    {
      name: "tools-never-touch-the-queue",
      severity: "error",
      comment: "Tools never read or write the event queue: report back through a callback the assembly turns into an event (see run_command's onBackgroundDone).",
      from: { path: "^daemon/tools/" },
      to: { path: "^daemon/events/(event-queue|notice-event)\\.ts$" },
    },
    {
      name: "layer-3-imports-nothing-above",
      severity: "error",
      comment: "Sources, memory and policy (layer 3) import only layers 1-3; the brain, tools, notifiers, supervisor and CLI stand on them, not under them.",
      from: { path: SOURCES_MEMORY_POLICY },
      to: { path: [BRAIN_AND_ACTIONS, SUPERVISOR_AND_REVIEW, CLI], pathNot: MODEL_CLIENT },
    },
    {
      name: "layer-4-imports-nothing-above",
      severity: "error",
      comment: "The brain, action tools and notifiers (layer 4) import nothing from the supervisor, schedules, review or CLI: those assemble them.",
      from: { path: BRAIN_AND_ACTIONS },
      to: { path: [SUPERVISOR_AND_REVIEW, CLI] },
    },
    {
      name: "task-worker-reaches-no-notifier-github-or-memory",
      severity: "error",
      comment:
        "The forked task worker codes in its worktree and nothing else (DESIGN.md): no notifier, no GitHub client or write tool, no memory tool may be reachable from it, even indirectly. Hand it data over IPC instead.",
      from: { path: "^daemon/tasks/task-worker\\.ts$" },
      to: { path: "^daemon/(notify|github)/|^memory/|^daemon/tools/(github-|memory-|notify-|deliver-)|^daemon/tasks/(push-task-branch|open-pull-request)-tool\\.ts$", reachable: true },
    },
    {
      name: "only-the-cli-imports-the-cli",
      severity: "error",
      comment: "The CLI is the top: nothing below it imports daemon/cli/. Move a shared helper down (e.g. day arithmetic lives in logs/local-day.ts).",
      from: { pathNot: CLI },
      to: { path: CLI },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Type-only imports count: a circle through a type is still a circle in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // Packages stay in the graph (as leaves, not followed), so only-the-store-imports-a-driver sees who imports them.
    exclude: { path: "^dist/" },
  },
};
