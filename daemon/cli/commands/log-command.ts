import type { Command } from "commander";
import { openContext } from "../../context/open-context.js";
import { renderMarkdownLine } from "../../../logs/daily-markdown.js";
import { isJournalKind, JOURNAL_KINDS } from "../../../logs/journal-kinds.js";
import { queryEntries } from "../../../logs/query-entries.js";
import { verifyChain } from "../../../logs/verify-chain.js";
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
    .description("walk the hash chain; exit 1 naming the first bad seq")
    .option("--json", "print the verdict as JSON")
    .action((options: { json?: boolean }) => setExit(runLogVerify(io, options)));
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

export function runLogVerify(io: CliIo, options: { json?: boolean }): number {
  const ctx = openContext({ env: io.env, now: io.now });
  try {
    const verdict = verifyChain(ctx.db);
    if (options.json) writeLine(io.stdout, JSON.stringify(verdict));
    else if (verdict.ok) writeLine(io.stdout, `journal ok: ${verdict.rows} rows, chain intact up to seq ${verdict.headSeq}`);
    else writeLine(io.stdout, `journal broken at seq ${verdict.seq}: ${verdict.reason}`);
    return verdict.ok ? EXIT.ok : EXIT.failed;
  } finally {
    ctx.close();
  }
}
