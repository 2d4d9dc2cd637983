import type { Command } from "commander";
import { openContext } from "../../context/open-context.js";
import { createSubscriptionStore } from "../../github/subscriptions.js";
import { formatSubscriptionRef, parseSubscriptionRef, type SubscriptionRef } from "../../github/subscription-ref.js";
import { hasGithubToken } from "../../github/find-github-token.js";
import { describeGithubDelivery } from "../../github/github-delivery.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";

export function registerSubscriptionCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("subscribe")
    .description("follow a pull request (OWNER/REPO#N) or every pull request of a repository (OWNER/REPO)")
    .argument("<ref>", "OWNER/REPO or OWNER/REPO#N")
    .action((ref: string) => setExit(runSubscribe(io, ref, true)));
  program
    .command("unsubscribe")
    .description("stop following a pull request or repository")
    .argument("<ref>", "OWNER/REPO or OWNER/REPO#N")
    .action((ref: string) => setExit(runSubscribe(io, ref, false)));
  program
    .command("subscriptions")
    .description("list what Vigil follows on GitHub")
    .option("--json", "one JSON object per line")
    .action((options: { json?: boolean }) => setExit(runListSubscriptions(io, options)));
}

function _parseRef(text: string): SubscriptionRef {
  const ref = parseSubscriptionRef(text);
  if (!ref) throw new UsageError(`"${text}" is not OWNER/REPO or OWNER/REPO#NUMBER (e.g. octo/app#42)`);
  return ref;
}

export function runSubscribe(io: CliIo, text: string, subscribe: boolean): number {
  const ref = _parseRef(text);
  const ctx = openContext({ env: io.env, now: io.now });
  try {
    const store = createSubscriptionStore(ctx.db);
    const name = formatSubscriptionRef(ref);
    const changed = subscribe ? store.add(ref, "cli", ctx.now()) : store.end(ref, "unsubscribed by the user", ctx.now());
    if (changed) ctx.journal.append({ kind: "system", summary: `${subscribe ? "subscribed to" : "unsubscribed from"} ${name}`, data: { event: subscribe ? "subscribed" : "unsubscribed", repo: ref.repo, number: ref.number } });
    writeLine(io.stdout, changed ? `${subscribe ? "following" : "no longer following"} ${name}` : `${subscribe ? "already following" : "was not following"} ${name}`);
    if (subscribe) {
      const delivery = describeGithubDelivery(ctx.loaded.config, hasGithubToken(ctx.loaded, ctx.env));
      if (delivery.ok) writeLine(io.stdout, `  its events arrive by ${delivery.how}`);
      else writeLine(io.stderr, `vigil: warning: ${delivery.why}; to receive ${name}'s events: ${delivery.fix}`);
    }
    return changed || subscribe ? EXIT.ok : EXIT.failed;
  } finally {
    ctx.close();
  }
}

export function runListSubscriptions(io: CliIo, options: { json?: boolean }): number {
  const ctx = openContext({ env: io.env, now: io.now });
  try {
    const list = createSubscriptionStore(ctx.db).list();
    for (const item of list) {
      writeLine(io.stdout, options.json ? JSON.stringify({ ref: formatSubscriptionRef(item), ...item }) : `${formatSubscriptionRef(item)}  (${item.origin}, since ${item.createdAt})`);
    }
    if (!options.json && list.length === 0) writeLine(io.stderr, "no subscriptions; add one with vigil subscribe OWNER/REPO[#N]");
    return EXIT.ok;
  } finally {
    ctx.close();
  }
}
