import { loadConfig } from "../config/load-config.js";
import { requireEnabledSecrets } from "../config/resolve-secrets.js";
import type { VigilContext } from "../context/open-context.js";
import { parseSubscriptionRef } from "../github/subscription-ref.js";
import type { FileWatcher } from "../sources/file-watcher.js";
import type { Runtime } from "./assemble-runtime.js";
import { checkModelKey } from "./check-model-key.js";
import { applyConfigChanges, type ConfigChanges } from "./apply-config-changes.js";

/**
 * SIGHUP (`vigil reload`): re-read config.yaml and apply every key that can change live — watch
 * roots, config subscriptions and schedules, rules, the tool policy, model names and limits, some
 * heartbeat keys — and name the ones that need a restart. A broken file is journaled and the
 * running config stays; queued events are untouched either way.
 */
export async function reloadConfig(ctx: VigilContext, runtime: Runtime, files: FileWatcher): Promise<void> {
  let next;
  try {
    next = loadConfig(ctx.paths.config, ctx.env);
    requireEnabledSecrets(next.config, ctx.env, next.file);
  } catch (error) {
    ctx.journal.append({ kind: "error", summary: `config reload failed, keeping the running config: ${(error as Error).message}`, data: { event: "reload-failed" } });
    return;
  }
  const changes = applyConfigChanges(ctx.loaded.config, next.config);
  ctx.loaded.hash = next.hash;
  // The tool policy is held by the tool runner too: point it at the new one.
  runtime.turn.toolDeps.policy = ctx.loaded.config.tools.policy;
  await files.setRoots(ctx.loaded.config.watch);
  runtime.subscriptions.addFromConfig(ctx.loaded.config.github.subscriptions.map((text) => parseSubscriptionRef(text)!), ctx.now());
  runtime.wakeups.syncConfigSchedules(ctx.loaded.config.schedules, ctx.now());
  runtime.hooks.setHooks(ctx.loaded.config.hooks);
  // A refused key is asked about again: the user may have fixed it. Still refused: no new row.
  if (runtime.health.authBlock()) await checkModelKey(ctx, runtime, (line) => ctx.logger.info(line));
  ctx.journal.append({
    kind: "system",
    summary: `config reloaded: watching ${next.config.watch.length} root(s); ${_describeChanges(changes)}`,
    data: { event: "reloaded", configHash: next.hash, watch: next.config.watch.map((root) => root.path), applied: changes.applied, needsRestart: changes.needsRestart },
  });
}

function _describeChanges({ applied, needsRestart }: ConfigChanges): string {
  const parts = [applied.length ? `applied ${applied.join(", ")}` : "no live key changed"];
  if (needsRestart.length) parts.push(`needs a restart (vigil restart): ${needsRestart.join(", ")}`);
  return parts.join("; ");
}
