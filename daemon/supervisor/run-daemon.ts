import type { VigilContext } from "../context/open-context.js";
import { acquireInstanceLock } from "../run/instance-lock.js";
import { VERSION } from "../version.js";

export interface DaemonOptions {
  once?: boolean;
  /** Resolves when the daemon should stop (a signal); injected so tests need no real signals. */
  stopSignal: Promise<string>;
  announce: (line: string) => void;
}

/** Which brain decides: explicit config, else Anthropic when a key is present, else the rules. */
export function chooseProvider(ctx: Pick<VigilContext, "loaded" | "env">): "anthropic" | "rules" {
  return ctx.loaded.config.model.provider ?? (ctx.env.ANTHROPIC_API_KEY ? "anthropic" : "rules");
}

/**
 * The daemon's lifetime: one instance per home (lock), a `system` row when it starts and when it
 * stops, and a clean stop on the stop signal. Throws LockHeldError when another instance runs.
 */
export async function runDaemon(ctx: VigilContext, { once = false, stopSignal, announce }: DaemonOptions): Promise<void> {
  const lock = acquireInstanceLock(ctx.paths.lockFile, { pid: process.pid, startedAt: ctx.now().toISOString(), version: VERSION });
  try {
    const provider = chooseProvider(ctx);
    ctx.journal.append({
      kind: "system",
      summary: `started vigil ${VERSION} (provider ${provider})`,
      data: { event: "started", version: VERSION, pid: process.pid, configHash: ctx.loaded.hash, configFile: ctx.loaded.file ?? null, provider },
    });
    announce(`vigil ${VERSION} running (pid ${process.pid}); home ${ctx.paths.home}`);
    announce(provider === "rules" ? "provider: rules (no ANTHROPIC_API_KEY set; config rules decide, the rest waits for review)" : `provider: anthropic (${ctx.loaded.config.model.name})`);
    ctx.logger.info({ provider, home: ctx.paths.home, config: ctx.loaded.file ?? "defaults" }, "daemon started");
    const reason = once ? "once" : await _waitAlive(stopSignal);
    ctx.journal.append({ kind: "system", summary: `stopped vigil ${VERSION} (${reason})`, data: { event: "stopped", version: VERSION, reason } });
    ctx.logger.info({ reason }, "daemon stopped");
  } finally {
    lock.release();
  }
}

/** Signal handlers alone do not keep Node's event loop alive; a timer does until the stop arrives. */
async function _waitAlive<T>(promise: Promise<T>): Promise<T> {
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    return await promise;
  } finally {
    clearInterval(keepAlive);
  }
}
