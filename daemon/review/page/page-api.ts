import type { IncomingMessage, ServerResponse } from "node:http";
import type { VigilContext } from "../../context/open-context.js";
import type { Runtime } from "../../supervisor/assemble-runtime.js";
import { expandHome } from "../../paths/expand-home.js";
import { shiftDay } from "../../../logs/local-day.js";
import { getEntry } from "../../../logs/query-entries.js";
import { localDay } from "../../../logs/local-day.js";
import { createMemoryVersions } from "../../../memory/memory-versions.js";
import { searchRecall } from "../../../memory/search-recall.js";
import { daysSinceLastReview, LAST_REVIEWED_KEY } from "../review-days.js";
import { previewApproval } from "../../tools/approval-preview.js";
import { createChainState } from "./chain-state.js";
import { buildCostHistory } from "./cost-history.js";
import { buildDayTimeline } from "./day-timeline.js";
import { buildMemoryView } from "./memory-view.js";
import type { PageBoot } from "./render-page-html.js";
import { sendPageJson } from "./send-page-response.js";

export class BadDayError extends Error {}

/** The page's read side: every GET under `/api/`, and the boot data of `GET /`. */
export function createPageApi(ctx: VigilContext, runtime: Runtime) {
  const { config } = ctx.loaded;
  // Read per request, not here: naming the system zone (Intl) need not delay the daemon's start.
  const timeZone = () => ctx.loaded.timezone;
  const versions = createMemoryVersions(ctx.db, ctx.paths.memoryDir);
  const chain = createChainState(ctx.db, ctx.now);
  const today = () => localDay(ctx.now(), timeZone());
  const workspace = () => ctx.loaded.config.tools.workspace.map((root) => expandHome(root, ctx.env));

  /** `?day=` names one day; without it, the days since the last review (and this counts as one). */
  const days = (param: string | null): string[] => {
    if (param === null || param === "") {
      const since = daysSinceLastReview(runtime.state, today());
      runtime.state.set(LAST_REVIEWED_KEY, today());
      return since;
    }
    const date = /^\d{4}-\d{2}-\d{2}$/.test(param) ? new Date(`${param}T00:00:00Z`) : undefined;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== param) throw new BadDayError(`day "${param}" is not a day: use YYYY-MM-DD`);
    return [param];
  };
  const approvals = () => runtime.turn.toolDeps.approvals.pending(ctx.now()).map((approval) => previewApproval(approval, workspace()));
  const timeline = (shown: string[]) => buildDayTimeline(ctx.db, shown, { timeZone: timeZone(), prices: config.review.prices, model: config.model.name });

  const boot = (dayParam: string | null): PageBoot => {
    const shown = days(dayParam);
    const last = shown.at(-1)!;
    return {
      days: shown,
      today: today(),
      prev: shiftDay(shown[0]!, -1),
      next: last < today() ? shiftDay(last, 1) : null,
      timeZone: timeZone(),
      timeline: timeline(shown),
      approvals: approvals(),
    };
  };

  const routes: Record<string, (url: URL, match: RegExpExecArray) => unknown> = {
    "^/api/day$": (url) => boot(url.searchParams.get("day")),
    "^/api/entries/(\\d+)$": (_url, match) => getEntry(ctx.db, Number(match[1])) ?? null,
    "^/api/approvals$": () => approvals(),
    "^/api/costs$": (url) => {
      const day = url.searchParams.get("day");
      const last = day ? days(day)[0]! : today();
      return buildCostHistory({ usage: runtime.turn.usage, prices: config.review.prices, budget: config.model.dailyTokenBudget }, last > today() ? today() : last, today());
    },
    "^/api/memory$": () => buildMemoryView(versions),
    "^/api/search$": (url) => ({ query: url.searchParams.get("q") ?? "", hits: searchRecall(ctx.db, url.searchParams.get("q") ?? "", 30) }),
    "^/api/chain$": () => chain(),
  };
  const compiled = Object.entries(routes).map(([pattern, build]) => [new RegExp(pattern), build] as const);

  /** Answers a GET under `/api/`; false when no route has the path. */
  const handle = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    for (const [pattern, build] of compiled) {
      const match = pattern.exec(url.pathname);
      if (!match) continue;
      try {
        const value = build(url, match);
        sendPageJson(req, res, value === null ? 404 : 200, value ?? { error: `no journal row ${match[1]}` });
      } catch (error) {
        if (!(error instanceof BadDayError)) throw error;
        sendPageJson(req, res, 400, { error: error.message });
      }
      return true;
    }
    return false;
  };
  return { handle, boot, days };
}

export type PageApi = ReturnType<typeof createPageApi>;
