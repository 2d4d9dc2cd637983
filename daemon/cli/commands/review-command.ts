import type { Command } from "commander";
import { createUsageLedger } from "../../brain/usage-ledger.js";
import { openContext } from "../../context/open-context.js";
import { createDaemonState } from "../../state/daemon-state.js";
import { buildReviewDigest, renderReviewDigest } from "../../review/review-digest.js";
import { localDay, shiftDay } from "../../../logs/local-day.js";
import { listUntrustedTopics } from "../../../memory/topic-trust.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";
import { parseDay } from "../parse-day.js";
import { daysSinceLastReview, LAST_REVIEWED_KEY } from "../../review/review-days.js";

export function registerReviewCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("review")
    .description("the morning digest: wakes, actions, errors, events for you, tokens and cost")
    .option("--day <day>", "YYYY-MM-DD, today or yesterday (default: since the last review, else yesterday and today)")
    .option("--json", "print the digest as JSON")
    .action((options: { day?: string; json?: boolean }) => setExit(runReview(io, options)));
}

export function runReview(io: CliIo, options: { day?: string; json?: boolean }): number {
  const ctx = openContext({ env: io.env, now: io.now });
  try {
    const tz = ctx.loaded.timezone;
    const today = localDay(ctx.now(), tz);
    const state = createDaemonState(ctx.db);
    const days = options.day ? [parseDay(options.day, ctx.now(), tz)] : daysSinceLastReview(state, today);
    const digest = buildReviewDigest({ db: ctx.db, usage: createUsageLedger(ctx.db), prices: ctx.loaded.config.review.prices, logsDir: ctx.paths.logsDir, now: ctx.now() }, days, { untrustedMemory: listUntrustedTopics(ctx.paths.memoryDir) });
    writeLine(io.stdout, options.json ? JSON.stringify(digest) : renderReviewDigest(digest, tz));
    if (!options.day) state.set(LAST_REVIEWED_KEY, today);
    return EXIT.ok;
  } finally {
    ctx.close();
  }
}
