import type { Command } from "commander";
import { openContext } from "../../context/open-context.js";
import { renderMarkdownLine } from "../../../logs/daily-markdown.js";
import { isJournalKind, JOURNAL_KINDS } from "../../../logs/journal-kinds.js";
import { queryEntries } from "../../../logs/query-entries.js";
import { verifyChain } from "../../../logs/verify-chain.js";
import { appendAnchor, readAnchors, resolveAnchorFile, verifyAnchors, type Anchor, type AnchorVerdict } from "../../../logs/anchor-log.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { parseDay } from "../parse-day.js";

interface LogOptions {
  day?: string;
  kind?: string;
  grep?: string;
  json?: boolean;
}

export function registerLogCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const log = program
    .command("log")
    .description("show the journal")
    .option("--day <day>", "YYYY-MM-DD, today or yesterday")
    .option("--kind <kind>", `one of: ${JOURNAL_KINDS.join(", ")}`)
    .option("--grep <text>", "only entries containing this text")
    .option("--json", "one JSON object per line")
    .action((options: LogOptions) => setExit(runLog(io, options)));
  log
    .command("verify")
    .description("walk the hash chain; exit 1 naming the first bad seq (or the first anchored seq that no longer matches)")
    .option("--json", "print the verdict as JSON")
    .option("--anchors <file>", "also check every head anchored in this file is still in the chain, unchanged")
    .action((options: VerifyOptions) => setExit(runLogVerify(io, options)));
  log
    .command("anchor")
    .description("append the journal's head (seq and hash) to the anchor log outside VIGIL_HOME")
    .action(() => setExit(runLogAnchor(io)));
}

export function runLog(io: CliIo, options: LogOptions): number {
  if (options.kind !== undefined && !isJournalKind(options.kind)) {
    throw new UsageError(`--kind "${options.kind}" is not a journal kind: use one of ${JOURNAL_KINDS.join(", ")}`);
  }
  const ctx = openContext({ env: io.env, now: io.now });
  try {
    const day = options.day === undefined ? undefined : parseDay(options.day, ctx.now(), ctx.loaded.timezone);
    const entries = queryEntries(ctx.db, { day, kind: options.kind as never, grep: options.grep });
    for (const entry of entries) {
      io.stdout.write(options.json ? `${JSON.stringify(entry)}\n` : renderMarkdownLine(entry, ctx.loaded.timezone).slice(2));
    }
    if (!options.json && entries.length === 0) writeLine(io.stderr, "no journal entries match");
    return EXIT.ok;
  } finally {
    ctx.close();
  }
}

interface VerifyOptions {
  json?: boolean;
  anchors?: string;
}

export function runLogVerify(io: CliIo, options: VerifyOptions): number {
  const ctx = openContext({ env: io.env, now: io.now });
  try {
    const verdict = verifyChain(ctx.db);
    const anchors = options.anchors === undefined ? undefined : verifyAnchors(ctx.db, _readAnchorFile(options.anchors), ctx.paths.home);
    if (options.json) writeLine(io.stdout, JSON.stringify(anchors ? { ...verdict, anchors } : verdict));
    else {
      writeLine(io.stdout, verdict.ok ? `journal ok: ${verdict.rows} rows, chain intact up to seq ${verdict.headSeq}` : `journal broken at seq ${verdict.seq}: ${verdict.reason}`);
      if (anchors) writeLine(io.stdout, _describeAnchors(anchors, options.anchors!));
    }
    return verdict.ok && (anchors?.ok ?? true) ? EXIT.ok : EXIT.failed;
  } finally {
    ctx.close();
  }
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
