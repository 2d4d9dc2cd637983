import path from "node:path";
import type { Command } from "commander";
import type { VigilContext } from "../../context/open-context.js";
import { buildChannels } from "../../notify/build-notifier.js";
import { backupHome } from "../../store/backup-home.js";
import { queryEntries } from "../../../logs/query-entries.js";
import { renderMarkdownHeader, renderMarkdownLine } from "../../../logs/daily-markdown.js";
import { withContext } from "../with-context.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { parseTimeBound } from "../parse-time-bound.js";

export function registerDataCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("backup")
    .description("one archive of the database (a consistent online copy), memory and config")
    .argument("[file]", "the archive to write (default: vigil-backup-YYYYMMDD-HHMMSS.tar.gz here)")
    .action(async (file: string | undefined) => setExit(await withContext(io, (ctx) => _backup(io, ctx, file))));
  program
    .command("export")
    .description("the journal as Markdown (default) or JSON Lines, for your own archive or tools")
    .option("--since <time>", "from this time: 30m, 2h, 3d, today, yesterday, YYYY-MM-DD or an ISO time")
    .option("--json", "one JSON object per line (the rows of vigil log --json)")
    .option("--md", "Markdown, one section per day (the default)")
    .action(async (options: { since?: string; json?: boolean; md?: boolean }) => setExit(await withContext(io, (ctx) => _export(io, ctx, options))));
  program
    .command("notify")
    .description("notifications: --test sends one through every configured channel")
    .option("--test", "send a test notification through each channel and say which worked")
    .action(async (options: { test?: boolean }) => setExit(await withContext(io, (ctx) => _notifyTest(io, ctx, options))));
}

async function _backup(io: CliIo, ctx: VigilContext, file: string | undefined): Promise<number> {
  const stamp = ctx.now().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const archive = path.resolve(file ?? `vigil-backup-${stamp}.tar.gz`);
  const entries = await backupHome({ db: ctx.db, memoryDir: ctx.paths.memoryDir, configFile: ctx.loaded.file }, archive);
  const rows = ctx.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM journal").get()!.n;
  writeLine(io.stdout, `wrote ${archive} (0600): ${entries.join(", ")}; ${rows} journal row(s)`);
  return EXIT.ok;
}

function _export(io: CliIo, ctx: VigilContext, options: { since?: string; json?: boolean; md?: boolean }): number {
  if (options.json && options.md) throw new UsageError("pick one of --json and --md");
  const since = options.since === undefined ? undefined : parseTimeBound(options.since, "--since", ctx.now(), ctx.loaded.timezone);
  const entries = queryEntries(ctx.db, { since });
  if (options.json) {
    for (const entry of entries) io.stdout.write(`${JSON.stringify(entry)}\n`);
    return EXIT.ok;
  }
  let day: string | undefined;
  for (const entry of entries) {
    if (entry.day !== day) io.stdout.write(`${day ? "\n" : ""}${renderMarkdownHeader((day = entry.day))}`);
    io.stdout.write(renderMarkdownLine(entry, ctx.loaded.timezone));
  }
  return EXIT.ok;
}

/** Each channel on its own (not the fallback chain): the point is to learn which ones work. */
async function _notifyTest(io: CliIo, ctx: VigilContext, options: { test?: boolean }): Promise<number> {
  if (!options.test) throw new UsageError("vigil notify needs --test (vigil notify --test)");
  const channels = buildChannels(ctx);
  if (channels.length === 0) {
    writeLine(io.stderr, "no notification channel is configured: set notify.desktop: true or notify.ntfy.topic");
    return EXIT.failed;
  }
  let failed = 0;
  for (const channel of channels) {
    try {
      await channel.send({ title: "Vigil test", body: `A test notification from vigil notify --test (${channel.name}).` });
      writeLine(io.stdout, `ok    ${channel.name}: delivered`);
    } catch (error) {
      failed++;
      writeLine(io.stdout, `FAIL  ${channel.name}: ${(error as Error).message}`);
    }
  }
  ctx.journal.append({ kind: "system", summary: `notification test: ${channels.length - failed} of ${channels.length} channel(s) worked`, data: { event: "notify-test", channels: channels.map((c) => c.name), failed } });
  return failed ? EXIT.failed : EXIT.ok;
}
