import { loadConfig } from "../config/load-config.js";
import type { VigilContext } from "../context/open-context.js";
import { parseSubscriptionRef } from "../github/subscription-ref.js";
import type { FileWatcher } from "../sources/file-watcher.js";
import type { Runtime } from "./assemble-runtime.js";

/**
 * SIGHUP: re-read config.yaml and apply what can change live — watch roots, subscriptions from
 * config, config schedules. A broken file is journaled and the running config stays; queued
 * events are untouched either way.
 */
export async function reloadConfig(ctx: VigilContext, runtime: Runtime, files: FileWatcher): Promise<void> {
  let next;
  try {
    next = loadConfig(ctx.paths.config, ctx.env);
  } catch (error) {
    ctx.journal.append({ kind: "error", summary: `config reload failed, keeping the running config: ${(error as Error).message}`, data: { event: "reload-failed" } });
    return;
  }
  await files.setRoots(next.config.watch);
  runtime.subscriptions.addFromConfig(next.config.github.subscriptions.map((text) => parseSubscriptionRef(text)!), ctx.now());
  runtime.wakeups.syncConfigSchedules(next.config.schedules, ctx.now());
  runtime.hooks.setHooks(next.config.hooks);
  ctx.journal.append({
    kind: "system",
    summary: `config reloaded: watching ${next.config.watch.length} root(s)`,
    data: { event: "reloaded", configHash: next.hash, watch: next.config.watch.map((root) => root.path) },
  });
}
