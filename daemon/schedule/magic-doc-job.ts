import { localDay } from "../../logs/local-day.js";
import { totalTokens } from "../brain/usage-ledger.js";
import type { VigilContext } from "../context/open-context.js";
import type { Runtime } from "../supervisor/assemble-runtime.js";
import { createMagicDocRegistry, type MagicDocRegistry } from "../../memory/magic-doc-registry.js";
import { refreshMagicDoc } from "../../memory/refresh-magic-doc.js";
import { createStayQuietTool } from "../tools/stay-quiet-tool.js";
import { createWorkspaceTools } from "../tools/workspace/workspace-tools.js";
import type { Tool } from "../toolkit/tool.js";
import { createBackgroundSlot } from "./background-slot.js";

const READ_TOOLS = new Set(["read_file", "list_dir", "search_files"]);

export interface MagicDocJob {
  registry: MagicDocRegistry;
  /** A heartbeat job: when the daemon is idle, refreshes one due magic doc in the background. */
  tick(now: Date): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Idle means: nothing pending, no turn running, the model not in backoff and the day's budget
 * not spent. One document at a time, each at most once per `magicDocs.minIntervalHours`.
 */
export function createMagicDocJob(ctx: VigilContext, runtime: Runtime, provider: "anthropic" | "rules"): MagicDocJob {
  const registry = createMagicDocRegistry(ctx.db);
  const { enabled, minIntervalHours } = ctx.loaded.config.magicDocs;
  const slot = createBackgroundSlot(ctx.logger, "magic doc refresh");
  const client = runtime.turn.client;
  return {
    registry,
    async tick(now) {
      if (!enabled || provider !== "anthropic" || !client || slot.busy()) return;
      // Cheapest first: on most ticks no document is due, and that is one small query.
      const [doc] = registry.due(now, minIntervalHours);
      if (!doc || !_isIdle(ctx, runtime, now)) return;
      const { name: model, maxTokens } = ctx.loaded.config.model;
      slot.start((signal) => refreshMagicDoc({ client, registry, journal: ctx.journal, usage: runtime.turn.usage, now: ctx.now, timeZone: ctx.loaded.timezone, model, maxTokens, signal, readTools: _readTools }, doc));
    },
    stop: slot.stop,
  };
}

function _isIdle(ctx: VigilContext, runtime: Runtime, now: Date): boolean {
  if (ctx.events.pendingStats().count > 0) return false;
  if (ctx.db.prepare("SELECT 1 FROM turns WHERE ended_at IS NULL LIMIT 1").get()) return false;
  const backoff = runtime.health.backoffUntil();
  if (backoff && backoff > now) return false;
  return totalTokens(runtime.turn.usage.forDay(localDay(now, ctx.loaded.timezone))) < ctx.loaded.config.model.dailyTokenBudget;
}

/** What a refresh may do besides its one write: read inside the document's watch root, and stay quiet. */
function _readTools(root: string): Tool[] {
  return [...createWorkspaceTools({ roots: [root] }).filter((tool) => READ_TOOLS.has(tool.name)), createStayQuietTool()];
}
