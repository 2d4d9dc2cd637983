import { setTimeout as delay } from "node:timers/promises";
import type { Command } from "commander";
import { openContext } from "../../context/open-context.js";
import { openJournalReader, type JournalReading } from "../../context/open-journal-reader.js";
import { isJournalKind, JOURNAL_KINDS } from "../../../logs/journal-kinds.js";
import type { EntryQuery } from "../../../logs/query-entries.js";
import type { JournalEntry } from "../../../logs/journal-entry.js";
import { appendAnchor, readAnchors, resolveAnchorFile, verifyAnchors, type Anchor, type AnchorVerdict } from "../../../logs/anchor-log.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { formatEntries } from "../format-entry.js";
import { choosePaint } from "../paint.js";
import { parseDay } from "../parse-day.js";
import { parseTimeBound } from "../parse-time-bound.js";
import { nextStopSignal } from "../next-stop-signal.js";
import { reportStoreErrors } from "../report-store-errors.js";

interface LogOptions {
  day?: string;
  kind?: string;
  grep?: string;
  source?: string;
  since?: string;
  until?: string;
  lines?: string;
  follow?: boolean;
  json?: boolean;
}

/** How often `--follow` looks for new rows: a cheap indexed query, and a person does not notice 300 ms. */
const FOLLOW_POLL_MS = 300;

export function registerLogCommand(program: Command, io: CliIo, setExit: (code: number) => void, stop: () => Promise<unknown> = nextStopSignal): void {
  const log = program
    .command("log")
    .description("show the journal (a readable listing in local time; --json for scripts)")
    .option("--day <day>", "YYYY-MM-DD, today or yesterday")
    .option("--since <time>", "from this time: 30m, 2h, 3d, today, yesterday, YYYY-MM-DD or an ISO time")
    .option("--until <time>", "before this time (same forms as --since)")
    .option("-n, --lines <n>", "only the last N matching entries")
    .option("--kind <kind>", `one of: ${JOURNAL_KINDS.join(", ")}`)
    .option("--source <source>", "only events noticed from this source: github, files, user, schedule, clock")
    .option("--grep <text>", "only entries containing this text")
    .option("-f, --follow", "keep printing new entries as they are appended (Ctrl-C ends)")
    .option("--json", "one JSON object per line")
    .action(async (options: LogOptions) => setExit(await runLog(io, options, stop)));
  log
    .command("verify")
    .description("walk the hash chain; exit 1 naming the first bad seq (or the first anchored seq that no longer matches)")
    .option("--json", "print the verdict as JSON")
    .option("--anchors <file>", "also check every head anchored in this file is still in the chain, unchanged")
    .action(async (options: VerifyOptions) => setExit(await runLogVerify(io, options)));
  log
    .command("anchor")
    .description("append the journal's head (seq and hash) to the anchor log outside VIGIL_HOME")
    .action(() => setExit(runLogAnchor(io)));
}

export async function runLog(io: CliIo, options: LogOptions, stop: () => Promise<unknown> = nextStopSignal): Promise<number> {
  if (options.kind !== undefined && !isJournalKind(options.kind)) {
    throw new UsageError(`--kind "${options.kind}" is not a journal kind: use one of ${JOURNAL_KINDS.join(", ")}`);
  }
  if (options.lines !== undefined && !/^\d+$/.test(options.lines)) throw new UsageError(`-n "${options.lines}" is not a number of entries, e.g. -n 20`);
  return reportStoreErrors(io, async () => {
    const reading = await openJournalReader({ env: io.env, now: io.now });
    try {
      const query = _query(reading, options);
      const print = _printer(io, reading, options);
      const entries = await reading.journal.query({ ...query, last: options.lines === undefined ? undefined : Number(options.lines) });
      print(entries);
      if (options.follow) await _follow(reading, query, entries.at(-1)?.seq ?? (await reading.journal.head())?.seq ?? 0, print, stop());
      else if (!options.json && entries.length === 0) writeLine(io.stderr, "no journal entries match");
      return EXIT.ok;
    } finally {
      await reading.journal.close();
    }
  });
}

function _query(reading: JournalReading, options: LogOptions): EntryQuery {
  const now = reading.now();
  const tz = reading.loaded.timezone;
  return {
    day: options.day === undefined ? undefined : parseDay(options.day, now, tz),
    kind: options.kind as EntryQuery["kind"],
    grep: options.grep,
    source: options.source,
    since: options.since === undefined ? undefined : parseTimeBound(options.since, "--since", now, tz),
    until: options.until === undefined ? undefined : parseTimeBound(options.until, "--until", now, tz),
  };
}

function _printer(io: CliIo, reading: JournalReading, options: LogOptions): (entries: readonly JournalEntry[]) => void {
  if (options.json) return (entries) => entries.forEach((entry) => io.stdout.write(`${JSON.stringify(entry)}\n`));
  const paint = choosePaint(io.stdout, io.env);
  const state: { day?: string } = {};
  return (entries) => entries.length && io.stdout.write(formatEntries(entries, reading.loaded.timezone, paint, state));
}

/** Polls for rows after `seq` until `stopped` resolves (Ctrl-C, SIGTERM; a closed pipe ends the process). */
async function _follow(reading: JournalReading, query: EntryQuery, seq: number, print: (entries: readonly JournalEntry[]) => void, stopped: Promise<unknown>): Promise<void> {
  let done = false;
  void stopped.then(() => (done = true));
  let after = seq;
  while (!done) {
    const fresh = await reading.journal.query({ ...query, afterSeq: after });
    if (fresh.length) {
      print(fresh);
      after = fresh.at(-1)!.seq;
    }
    await Promise.race([delay(FOLLOW_POLL_MS), stopped]);
  }
}

interface VerifyOptions {
  json?: boolean;
  anchors?: string;
}

export async function runLogVerify(io: CliIo, options: VerifyOptions): Promise<number> {
  return reportStoreErrors(io, async () => {
    const { journal, paths } = await openJournalReader({ env: io.env, now: io.now });
    try {
      const verdict = await journal.verify();
      // An anchor names the journal it was taken of: this home, or the team store's location.
      const home = journal.engine === "sqlite" ? paths.home : journal.location;
      const anchors = options.anchors === undefined ? undefined : await verifyAnchors(journal.hashAt, _readAnchorFile(options.anchors), home);
      if (options.json) writeLine(io.stdout, JSON.stringify(anchors ? { ...verdict, anchors } : verdict));
      else {
        writeLine(io.stdout, verdict.ok ? `journal ok: ${verdict.rows} rows, chain intact up to seq ${verdict.headSeq}` : `journal broken at seq ${verdict.seq}: ${verdict.reason}`);
        if (anchors) writeLine(io.stdout, _describeAnchors(anchors, options.anchors!));
      }
      return verdict.ok && (anchors?.ok ?? true) ? EXIT.ok : EXIT.failed;
    } finally {
      await journal.close();
    }
  });
}

export function runLogAnchor(io: CliIo): number {
  const ctx = openContext({ env: io.env, now: io.now });
  try {
    const file = resolveAnchorFile(ctx.loaded.config.journal.anchor.file, ctx.env);
    const anchor = appendAnchor(ctx.db, file, ctx.paths.home, ctx.now());
    if (!anchor) {
      writeLine(io.stderr, "the journal is empty: nothing to anchor yet");
      return EXIT.ok;
    }
    writeLine(io.stdout, `anchored seq ${anchor.seq} ${anchor.hash} in ${file}`);
    return EXIT.ok;
  } finally {
    ctx.close();
  }
}

function _readAnchorFile(file: string): Anchor[] {
  try {
    return readAnchors(file);
  } catch (error) {
    throw new UsageError(`--anchors ${file}: cannot be read (${(error as Error).message}); give the anchor log (journal.anchor.file)`);
  }
}

function _describeAnchors(verdict: AnchorVerdict, file: string): string {
  const others = verdict.otherHomes ? ` (${verdict.otherHomes} for other homes not checked)` : "";
  if (!verdict.ok) return `anchor mismatch at seq ${verdict.seq}, anchored ${verdict.anchoredAt} in ${file}: ${verdict.reason}`;
  return verdict.checked ? `anchors ok: all ${verdict.checked} anchored head(s) in ${file} are in the chain, unchanged${others}` : `no anchors for this home in ${file}${others}`;
}
